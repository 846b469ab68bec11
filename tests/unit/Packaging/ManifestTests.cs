using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Packaging;

[Collection(RedisComponents.Tests.Examples.PublishCollection.Name)] // its publish reads the build output the demo's build writes
public class ManifestTests
{
    [Fact]
    public void TestModuleManifestIsClean()
    {
        using var ps = new PsHost();
        var result = ps.Run("Test-ModuleManifest -Path $p", new() { ["p"] = PsHost.ManifestPath });
        Assert.True(result.Succeeded, result.Describe());
        var module = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("RedisComponents", module.Name);
        Assert.NotEqual(new Version(0, 0), module.Version);
        Assert.False(string.IsNullOrWhiteSpace(module.Description));
        Assert.NotNull(module.LicenseUri);
        Assert.NotNull(module.ProjectUri);
        Assert.False(string.IsNullOrWhiteSpace(module.ReleaseNotes));
        Assert.Contains("Core", module.CompatiblePSEditions);
        Assert.Contains("RedisComponents.format.ps1xml", string.Join(",", module.ExportedFormatFiles.Select(Path.GetFileName)));
    }

    [Fact]
    public void ManifestExportsExactlyTheModulesCmdletsWithoutWildcards()
    {
        Assert.DoesNotContain(ModuleManifest.ExportedCmdlets, c => c.Contains('*'));
        using var ps = new PsHost();
        var loaded = ps.Run("(Get-Module RedisComponents).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).OrderBy(n => n).ToArray();
        var declared = typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().FirstOrDefault())
            .Where(a => a is not null).Select(a => $"{a!.VerbName}-{a.NounName}").OrderBy(n => n).ToArray();
        Assert.Equal(declared, ModuleManifest.ExportedCmdlets.OrderBy(n => n).ToArray());
        Assert.Equal(declared, loaded);
    }

    [Fact]
    public void EveryCmdletUsesAnApprovedVerbASingularNounAndDeclaresItsOutput()
    {
        // Get-Verb is not a core command; the approved verbs are the constants of SMA's Verbs* classes.
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields()).Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var type in typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly.GetTypes())
        {
            var cmdlet = type.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().FirstOrDefault();
            if (cmdlet is null) continue;
            Assert.Contains(cmdlet.VerbName, approved);
            Assert.False(cmdlet.NounName.EndsWith("s", StringComparison.Ordinal) && !cmdlet.NounName.EndsWith("ss", StringComparison.Ordinal), $"{cmdlet.NounName}: nouns are singular");
            Assert.True(type.IsSealed, $"{type.Name} should be sealed");
            Assert.NotEmpty(type.GetCustomAttributes(typeof(OutputTypeAttribute), false));
        }
    }

    [Fact]
    public void PublishedModuleFolderHoldsOnlyWhatTheModuleNeeds()
    {
        var output = Path.Combine(Path.GetTempPath(), "redis-components-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var publish = ChildProcess.Run("dotnet",
                new[] { "publish", Path.Combine(RepositoryRoot.Path, "src", "RedisComponents.PowerShell"), "-c", configuration, "--no-build", "-o", output },
                TimeSpan.FromMinutes(2));
            Assert.True(publish.ExitCode == 0, publish.All);
            var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).ToList();
            Assert.Contains("RedisComponents.psd1", files);
            Assert.Contains(Path.Combine("dependencies", "RedisComponents.Engine.psd1"), files);
            Assert.Contains("RedisComponents.format.ps1xml", files);
            Assert.Contains("LICENSE", files);
            // Dependency isolation: the module root holds one dll, the loader, which references only the framework and
            // PowerShell (the host's own, always);
            // the engine and everything it needs are under dependencies/ (loaded into the module's own context).
            var dependencies = "dependencies" + Path.DirectorySeparatorChar;
            Assert.Equal(new[] { "RedisComponents.Loader.dll" }, files.Where(f => f.EndsWith(".dll", StringComparison.Ordinal) && !f.Contains(Path.DirectorySeparatorChar)).ToArray());
            Assert.Contains(dependencies + "RedisComponents.PowerShell.dll", files);
            Assert.Contains(dependencies + "StackExchange.Redis.dll", files);
            Assert.Contains(dependencies + "System.IO.Pipelines.dll", files);
            Assert.Contains(dependencies + "CsvHelper.dll", files);
            Assert.Contains(Path.Combine("en-US", "RedisComponents.PowerShell.dll-Help.xml"), files);
            using (var loader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(Path.Combine(output, "RedisComponents.Loader.dll"))))
            {
                var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(loader);
                var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).ToArray();
                // Framework assemblies (the runtime folder's) and System.Management.Automation (the host's) only, so
                // nothing of the loader can clash with another module.
                var runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
                Assert.All(references, r => Assert.True(r == "System.Management.Automation" || File.Exists(Path.Combine(runtime, r + ".dll")), $"the loader references {r}"));
            }
            Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));
            Assert.DoesNotContain(files, f => f.StartsWith("System.Management.Automation", StringComparison.Ordinal));
            Assert.DoesNotContain(files, f => f.EndsWith(".deps.json", StringComparison.Ordinal));
            // The test output, which the Pester suite and child-process tests import, has the same layout.
            Assert.All(files, f => Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, f)), $"{f} is published but not in the test output folder"));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
