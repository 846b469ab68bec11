using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// One run of the generator: reads the cmdlets of the module assembly and docs/help, checks them against
/// each other, and writes en-US/&lt;module&gt;.dll-Help.xml plus about_*.help.txt. Writes nothing when any
/// help source has an error.
/// </summary>
public static class HelpBuild
{
    public const string AboutPrefix = "about_";

    /// <summary>Runs the generator; every finding goes to <paramref name="log"/>. Returns the process exit code.</summary>
    public static int Run(string moduleAssembly, string docsDirectory, string outputDirectory, TextWriter log)
    {
        var diagnostics = new DiagnosticBag();
        docsDirectory = Path.GetFullPath(docsDirectory);
        var written = Generate(moduleAssembly, docsDirectory, outputDirectory, diagnostics);
        foreach (var d in diagnostics.Items) log.WriteLine(d);
        if (diagnostics.HasErrors)
        {
            log.WriteLine($"Help not generated: {diagnostics.Items.Count(d => d.Severity == Severity.Error)} error(s) in {docsDirectory}. The format is described in docs/help/README.md.");
            return 1;
        }
        foreach (var file in written) log.WriteLine($"Help: {file}");
        return 0;
    }

    /// <summary>Does the work; returns the files written (none when there are errors).</summary>
    public static IReadOnlyList<string> Generate(string moduleAssembly, string docsDirectory, string outputDirectory, DiagnosticBag diagnostics)
    {
        if (!File.Exists(moduleAssembly) || !Directory.Exists(docsDirectory))
        {
            diagnostics.Error(Codes.Load, File.Exists(moduleAssembly) ? docsDirectory : moduleAssembly, 0, null, "not found.");
            return Array.Empty<string>();
        }
        var context = new ModuleLoadContext(moduleAssembly);
        try
        {
            var cmdlets = CmdletReflector.Read(context.Module);
            var outputs = BuildOutputs(cmdlets, Path.GetFileName(moduleAssembly), docsDirectory, diagnostics);
            if (diagnostics.HasErrors) return Array.Empty<string>();
            Directory.CreateDirectory(outputDirectory);
            foreach (var (name, content) in outputs) File.WriteAllText(Path.Combine(outputDirectory, name), content, new UTF8Encoding(false));
            return outputs.Keys.Select(n => Path.Combine(outputDirectory, n)).ToList();
        }
        finally
        {
            context.Unload();
        }
    }

    private static Dictionary<string, string> BuildOutputs(IReadOnlyList<CmdletModel> cmdlets, string assemblyFile, string docsDirectory, DiagnosticBag diagnostics)
    {
        var sources = Directory.GetFiles(docsDirectory, "*.md").Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var aboutSources = sources.Where(f => Path.GetFileName(f).StartsWith(AboutPrefix, StringComparison.Ordinal)).ToList();
        var aboutTopics = aboutSources.Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);

        var commands = new List<(CmdletModel, HelpDocument)>();
        foreach (var cmdlet in cmdlets)
        {
            var path = sources.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == cmdlet.Name);
            if (path is null)
            {
                diagnostics.Warning(Codes.NoHelpFile, Path.Combine(docsDirectory, cmdlet.Name + ".md"), 0, null,
                    $"{cmdlet.Name} ({cmdlet.Type.FullName}) has no help file, so Get-Help shows only its syntax. Write docs/help/{cmdlet.Name}.md (see docs/help/README.md).");
                continue;
            }
            var doc = HelpDocumentReader.Read(path, diagnostics);
            HelpValidator.Validate(doc, cmdlet, diagnostics);
            commands.Add((cmdlet, doc));
        }
        foreach (var orphan in sources.Except(aboutSources).Where(f => cmdlets.All(c => c.Name != Path.GetFileNameWithoutExtension(f))))
        {
            diagnostics.Error(Codes.NoCmdlet, orphan, 1, null,
                $"the module has no cmdlet '{Path.GetFileNameWithoutExtension(orphan)}' (file names must be the exact cmdlet name; cmdlets: {string.Join(", ", cmdlets.Select(c => c.Name))}).");
        }
        foreach (var about in aboutSources)
        {
            var topic = Path.GetFileNameWithoutExtension(about);
            outputs[topic + ".help.txt"] = AboutTopicWriter.Write(topic, File.ReadAllText(about), about, diagnostics);
        }
        outputs[assemblyFile + "-Help.xml"] = ToText(MamlWriter.Write(commands, aboutTopics));
        return outputs;
    }

    private static string ToText(System.Xml.Linq.XDocument maml)
    {
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using (var writer = XmlWriter.Create(new Utf8StringWriter(builder), settings)) maml.Save(writer);
        return builder.ToString();
    }

    /// <summary>Makes the XML declaration say utf-8 (a plain StringWriter says utf-16).</summary>
    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
