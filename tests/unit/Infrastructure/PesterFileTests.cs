using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>No pwsh/Pester here: at least every Pester file must parse, and every exported cmdlet must be exercised by one.</summary>
public class PesterFileTests
{
    private static readonly string PesterDirectory = Path.Combine(RepositoryRoot.Path, "tests", "pester");

    public static TheoryData<string> PesterFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(PesterDirectory, "*.ps1").OrderBy(f => f)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(PesterFiles))]
    public void PesterFileParsesWithoutErrors(string file)
    {
        Parser.ParseFile(Path.Combine(PesterDirectory, file), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{file}:{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void EveryExportedCmdletHasAPesterTest()
    {
        var tests = string.Join("\n", Directory.GetFiles(PesterDirectory, "*.Tests.ps1").Select(File.ReadAllText));
        var missing = ModuleManifest.ExportedCmdlets.Where(c => !Regex.IsMatch(tests, $@"\b{Regex.Escape(c)}\b")).ToList();
        Assert.True(missing.Count == 0, "No Pester test calls: " + string.Join(", ", missing));
    }
}
