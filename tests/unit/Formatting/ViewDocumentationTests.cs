using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Formatting;

/// <summary>Where README or the help name the columns a cmdlet shows, they are the columns of its view, in order.</summary>
public sealed class ViewDocumentationTests
{
    private static readonly string FormatFile = Path.Combine(RepositoryRoot.Path, "src", "RedisComponents.PowerShell", "RedisComponents.format.ps1xml");

    /// <summary>Headers of each view, by the full name of the type it shows.</summary>
    private static Dictionary<string, string[]> Views() => XDocument.Load(FormatFile).Descendants("View").ToDictionary(
        v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim(),
        v => v.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToArray());

    private static IEnumerable<string[]> HeadersOf(string cmdlet)
    {
        var parts = cmdlet.Split('-', 2);
        var type = typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly.GetTypes()
            .Single(t => t.GetCustomAttribute<CmdletAttribute>() is { } c && c.VerbName == parts[0] && c.NounName == parts[1]);
        var views = Views();
        return type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(a => a.Type).Select(t => t.Type?.FullName)
            .Where(n => n is not null && views.ContainsKey(n)).Select(n => views[n!]);
    }

    /// <summary>README code lines ending in a comment of three or more column names, e.g. <c>Get-RedisCounter ... # Time Timestamp ...</c>.</summary>
    [Fact]
    public void ReadmeColumnCommentsAreTheViewsColumns()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var checkedLines = 0;
        foreach (var line in lines)
        {
            var match = Regex.Match(line, @"^(?<code>[^#]*\b(?<cmdlet>[A-Z][a-z]+-Redis\w+)\b[^#]*)#\s*(?<columns>(?:[A-Z]\w+ +){2,}[A-Z]\w+)\s*$");
            if (!match.Success) continue;
            var cmdlet = Regex.Matches(match.Groups["code"].Value, @"\b[A-Z][a-z]+-Redis\w+\b").Last().Value;
            var columns = match.Groups["columns"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(HeadersOf(cmdlet).Any(h => h.Take(columns.Length).SequenceEqual(columns)),
                $"README: '{line.Trim()}' names columns {string.Join(" ", columns)}; the views of {cmdlet} show {string.Join(" | ", HeadersOf(cmdlet).Select(h => string.Join(" ", h)))}");
            checkedLines++;
        }
        Assert.True(checkedLines >= 4, $"only {checkedLines} README lines name columns");
    }

    /// <summary>Help sentences "Shows A, B and C for each ..." list the view's (first) columns, in order.</summary>
    [Fact]
    public void HelpColumnSentencesAreTheViewsColumns()
    {
        var checkedSentences = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs", "help"), "*-*.md"))
        {
            var cmdlet = Path.GetFileNameWithoutExtension(file);
            foreach (Match match in Regex.Matches(File.ReadAllText(file), @"Shows (?<columns>[A-Z]\w+(?:, [A-Z]\w+)* and [A-Z]\w+) (?:for|of) "))
            {
                var columns = Regex.Split(match.Groups["columns"].Value, ", | and ");
                Assert.True(HeadersOf(cmdlet).Any(h => h.Take(columns.Length).SequenceEqual(columns)),
                    $"{cmdlet}.md: '{match.Value}'; its views show {string.Join(" | ", HeadersOf(cmdlet).Select(h => string.Join(" ", h)))}");
                checkedSentences++;
            }
        }
        Assert.True(checkedSentences >= 1);
    }
}
