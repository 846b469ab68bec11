using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RedisComponents.HelpBuilder;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Help;

/// <summary>
/// The help generator on the real module assembly and a copy of the real docs/help, one defect at a time:
/// it must fail with the file and section named, or warn (and still build) for a cmdlet without docs.
/// </summary>
public sealed class HelpBuilderTests : IDisposable
{
    private static readonly string ModuleAssembly = typeof(RedisComponents.Infrastructure.ComponentCmdlet).Assembly.Location;
    private static readonly string DocsSource = Path.Combine(RepositoryRoot.Path, "docs", "help");

    private readonly string root = Directory.CreateTempSubdirectory("rc-help-").FullName;
    private readonly string docs;
    private readonly string output;

    public HelpBuilderTests()
    {
        docs = Path.Combine(root, "docs");
        output = Path.Combine(root, "en-US");
        Directory.CreateDirectory(docs);
        foreach (var file in Directory.GetFiles(DocsSource, "*.md")) File.Copy(file, Path.Combine(docs, Path.GetFileName(file)));
    }

    private string HelpFile => Path.Combine(output, "RedisComponents.PowerShell.dll-Help.xml");

    [Fact]
    public void RealDocsBuildHelpForEveryExportedCmdlet()
    {
        var (exit, log) = Run();
        Assert.True(exit == 0, log);
        var names = XDocument.Load(HelpFile).Descendants(XName.Get("name", "http://schemas.microsoft.com/maml/dev/command/2004/10")).Select(e => e.Value).ToList();
        Assert.All(ModuleManifest.ExportedCmdlets, c => Assert.Contains(c, names));
        var about = File.ReadAllLines(Path.Combine(output, "about_RedisComponents.help.txt"));
        Assert.Equal(new[] { "TOPIC", "    about_RedisComponents" }, about.Take(2));
        Assert.All(about.Where(l => !l.StartsWith("        ", StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, "prose wraps at 80 columns: " + l));
        Assert.DoesNotContain(" error ", log);
    }

    [Fact]
    public void MissingSectionFailsNamingFileAndSection()
    {
        Edit("Test-RedisComponent.md", text => Regex.Replace(text, @"## EXAMPLES.*?(?=## PARAMETERS)", "", RegexOptions.Singleline));
        Assert.Contains("Test-RedisComponent.md, section '## EXAMPLES': the required section is missing.", Fails());
    }

    [Fact]
    public void DocumentingAParameterTheCmdletLacksFails()
    {
        Edit("Test-RedisComponent.md", text => text.Replace("## INPUTS", "### -Bogus\nNot a parameter.\n\n## INPUTS"));
        var line = Assert.Single(Fails().Split('\n'), l => l.Contains("-Bogus"));
        Assert.Matches(@"Test-RedisComponent\.md\(\d+\): error RCHELP003: Test-RedisComponent\.md, section '## PARAMETERS': documents -Bogus, but Test-RedisComponent has no such parameter", line);
    }

    [Fact]
    public void LeavingADeclaredParameterUndocumentedFails()
    {
        Edit("Test-RedisComponent.md", text => Regex.Replace(text, @"### -Quiet.*?(?=## INPUTS)", "", RegexOptions.Singleline));
        Assert.Contains("Test-RedisComponent.md, section '## PARAMETERS': Test-RedisComponent declares -Quiet, which is not documented", Fails());
    }

    [Theory]
    [InlineData("## SYNOPSIS\n", "## SYNOPSYS\n", "section '## SYNOPSYS': unknown section")]
    [InlineData("### Example 2: Check every configured component in a script", "### Example 5: Check", "should be Example 2")]
    [InlineData("```powershell\nGet-RedisComponentConfig", "```\nGet-RedisComponentConfig", "must be a ```powershell fence")]
    [InlineData("### -Quiet\nReturns one Boolean per component instead of a result object.\n", "### -Quiet\n", "-Quiet has no description")]
    [InlineData("# Test-RedisComponent\n", "# Test-RedisComponents\n", "must be the cmdlet name")]
    public void StructuralMistakesFail(string find, string replace, string expected)
    {
        Edit("Test-RedisComponent.md", text => text.Replace(find, replace));
        var log = Fails();
        Assert.Contains(expected, log);
        Assert.Contains("Test-RedisComponent.md", log);
    }

    [Fact]
    public void CmdletWithoutDocsIsAWarningNotAnError()
    {
        File.Delete(Path.Combine(docs, "Test-RedisMaintenance.md"));
        var (exit, log) = Run();
        Assert.True(exit == 0, log);
        Assert.Contains("warning RCHELP007: Test-RedisMaintenance.md: Test-RedisMaintenance", log);
        Assert.True(File.Exists(HelpFile));
    }

    [Fact]
    public void DocsForACmdletThatDoesNotExistFail()
    {
        File.Copy(Path.Combine(docs, "Test-RedisComponent.md"), Path.Combine(docs, "Test-RedisComponents.md"));
        Assert.Contains("Test-RedisComponents.md: the module has no cmdlet 'Test-RedisComponents'", Fails());
    }

    /// <summary>The build runs the tool as a process: its exit code and MSBuild-format lines are the contract.</summary>
    [Fact]
    public void CommandLineExitsNonZeroWithAnMsBuildError()
    {
        Edit("Get-RedisComponentConfig.md", text => text.Replace("### -AsPlainText", "### -AsPlaintextPassword"));
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var tool = Path.Combine(RepositoryRoot.Path, "tools", "RedisComponents.HelpBuilder", "bin", configuration, "net10.0", "RedisComponents.HelpBuilder.dll");
        var run = ChildProcess.Run("dotnet", new[] { tool, ModuleAssembly, docs, output }, TimeSpan.FromSeconds(30));
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"Get-RedisComponentConfig\.md\(\d+\): error RCHELP003: .*section '## PARAMETERS': documents -AsPlaintextPassword", run.All);
    }

    private void Edit(string file, Func<string, string> change)
    {
        var path = Path.Combine(docs, file);
        var before = File.ReadAllText(path).ReplaceLineEndings("\n");
        var after = change(before);
        Assert.NotEqual(before, after); // the edit must hit, or the test proves nothing
        File.WriteAllText(path, after);
    }

    private (int Exit, string Log) Run()
    {
        var log = new StringWriter();
        var exit = HelpBuild.Run(ModuleAssembly, docs, output, log);
        return (exit, log.ToString());
    }

    /// <summary>Runs the generator expecting failure: exit code 1 and no help written. Returns the log.</summary>
    private string Fails()
    {
        var (exit, log) = Run();
        Assert.True(exit == 1, "the generator should have failed:\n" + log);
        Assert.False(File.Exists(HelpFile), "nothing is written when a source has an error");
        return log;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
