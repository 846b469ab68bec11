using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>README's cluster layout table is the layout written: every key the cmdlets write matches a documented name, and every documented name is written.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterLayoutDocTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    /// <summary>The backticked key names of the "Cluster" column of README's cluster layout table, with `:last`-style shorthands expanded.</summary>
    private static string[] DocumentedClusterKeys()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf("| Pattern | Standalone (book) | Cluster |", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no cluster layout table");
        var rows = readme[start..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        var keys = new System.Collections.Generic.List<string>();
        foreach (var row in rows)
        {
            var cells = row.Split('|');
            string? previous = null;
            foreach (Match m in Regex.Matches(cells[3], "`([^`]+)`"))
            {
                var key = m.Groups[1].Value;
                // "`common:{recent:N:S}:start`, `:last`" — a bare suffix continues the previous full name.
                if (key.StartsWith(':') && previous is not null) key = previous[..previous.LastIndexOf(':')] + key;
                keys.Add(key);
                previous = key;
            }
        }
        return keys.ToArray();
    }

    private static Regex Pattern(string documented, string name)
    {
        var escaped = Regex.Escape(documented);
        escaped = escaped.Replace("ID", "[0-9a-f]{32}").Replace(":K", ":[0-9]+");
        escaped = Regex.Replace(escaped, "(?<=[:{])N(?=[:}]|$)", Regex.Escape(name));
        escaped = Regex.Replace(escaped, "(?<=:)C(?=:)", Regex.Escape(name));
        escaped = Regex.Replace(escaped, "(?<=:)S(?=[:}]|$)", "info");
        escaped = Regex.Replace(escaped, "(?<=:)T(?=[:}]|$)", "(Bytes|AccessTime)");
        escaped = Regex.Replace(escaped, "(?<=:)P(?=:)", "[0-9]+");
        return new Regex("^" + escaped + "$");
    }

    [Fact]
    public void Every_key_written_is_documented_and_every_documented_key_is_written()
    {
        var documented = DocumentedClusterKeys();
        Assert.Contains("common:{recent:N:S}:pstart", documented);
        using var ps = ClusterHosts.Session();
        var name = ClusterHosts.Unique("doc");
        // Two hours for the common log and the statistics, so :last and :pstart exist too.
        cluster.Db.StringSet($"common:{{recent:{name}:info}}:start", "2000-01-01T00:00:00");
        cluster.Db.SortedSetAdd($"common:{{recent:{name}:info}}", "old", 1);
        cluster.Db.StringSet($"{{stats:{name}:Bytes}}:start", "2000-01-01T00:00:00");
        cluster.Db.SortedSetAdd($"stats:{name}:Bytes", "count", 1);
        ps.Run("Write-RedisRecentLog -Name $n -Message m; Write-RedisCommonLog -Name $n -Message m; Update-RedisCounter -Name $n; " +
               "Update-RedisStatistic -Context $n -Type Bytes -Value 1; Measure-RedisAccessTime -Context $n -ScriptBlock { 1 } | Out-Null",
            new() { ["n"] = name }).ThrowIfFailed();
        // An emptied counter that the cleaner forgets leaves its mark.
        cluster.Db.KeyDelete($"count:1:{name}");
        ps.Run("Invoke-RedisCounterCleanup -Confirm:$false | Out-Null").ThrowIfFailed();

        var written = cluster.AllKeys("*" + name + "*");
        var patterns = documented.Select(d => (Doc: d, Regex: Pattern(d, name))).ToList();
        foreach (var key in written)
        {
            Assert.True(patterns.Any(p => p.Regex.IsMatch(key)), $"'{key}' is written but README's cluster layout does not name it");
        }
        foreach (var (doc, regex) in patterns.Where(p => Regex.IsMatch(p.Doc, "(?<=[:{])N(?=[:}]|$)|:C:")))
        {
            Assert.True(written.Any(regex.IsMatch), $"README names '{doc}' but no such key was written");
        }
    }
}
