using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;

namespace RedisComponents.Tests.Infrastructure;

public static class RepositoryRoot
{
    /// <summary>The folder holding RedisComponents.psd1 and README.md, found upwards from the test assembly.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !(File.Exists(System.IO.Path.Combine(dir.FullName, "README.md")) && File.Exists(System.IO.Path.Combine(dir.FullName, "RedisComponents.psd1"))))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }
}

public static class ModuleManifest
{
    /// <summary>CmdletsToExport of the manifest, read with the PowerShell parser (a psd1 is a hashtable literal).</summary>
    public static string[] ExportedCmdlets { get; } = Read("CmdletsToExport");

    public static string[] Read(string key)
    {
        var ast = Parser.ParseFile(System.IO.Path.Combine(RepositoryRoot.Path, "RedisComponents.psd1"), out _, out var errors);
        if (errors.Length > 0) throw new InvalidOperationException("RedisComponents.psd1 does not parse: " + errors[0].Message);
        var table = (HashtableAst)ast.Find(a => a is HashtableAst, false)!;
        var pair = table.KeyValuePairs.Single(p => ((StringConstantExpressionAst)p.Item1).Value == key);
        return pair.Item2.FindAll(a => a is StringConstantExpressionAst, true).Cast<StringConstantExpressionAst>().Select(s => s.Value).ToArray();
    }
}
