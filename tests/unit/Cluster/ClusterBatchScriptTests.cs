using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Logging;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// On a cluster a batch of common-log messages (or statistics values) is one rotation script per log (statistic)
/// and hour, all sent at once: no WATCH/MULTI, no condition reads. The cluster collection runs alone, so each
/// primary's INFO commandstats counts only these commands.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBatchScriptTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    private static string HourKey() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH':00:00'", CultureInfo.InvariantCulture);

    private long Calls(int port, string command)
    {
        var line = TestCluster.Cli(port, "INFO", "commandstats").Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("cmdstat_" + command + ":", StringComparison.Ordinal));
        if (line is null) return 0;
        var calls = line.Split(':', 2)[1].Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal));
        return long.Parse(calls.AsSpan(6), CultureInfo.InvariantCulture);
    }

    private static object[] Items(IEnumerable<string> names, params string[] messages) =>
        names.SelectMany(n => messages.Select(m => (object)new System.Management.Automation.PSObject(new { Name = n, Message = m }))).ToArray();

    [Fact]
    public void A_batch_over_30_logs_lands_on_every_node_with_the_counts_of_one_call_per_message()
    {
        using var ps = ClusterHosts.Session();
        var names = Enumerable.Range(1, 30).Select(_ => ClusterHosts.Unique("cbatch")).ToList();
        var r = ps.Run("$items | Write-RedisCommonLog -PassThru", new() { ["items"] = Items(names, "a", "b", "a") }).ThrowIfFailed();
        var counted = r.All<CommonLogEntry>();
        Assert.Equal(90, counted.Count);
        foreach (var n in names)
        {
            var recent = $"recent:{n}:info";
            var common = $"common:{{{recent}}}";
            Assert.Equal(2, cluster.Db.SortedSetScore(common, "a"));
            Assert.Equal(1, cluster.Db.SortedSetScore(common, "b"));
            Assert.Equal(HourKey(), (string?)cluster.Db.StringGet(common + ":start"));
            Assert.Equal(new[] { "a", "b", "a" }, cluster.Db.ListRange(recent).Select(v => ((string)v!)[^1..]).Reverse());
            Assert.Equal(new[] { ("a", 1L), ("b", 1L), ("a", 2L) }, counted.Where(c => c.Name == n).Select(c => (c.Message, c.Count)));
            Assert.All(counted.Where(c => c.Name == n), c => Assert.Equal(common, c.Key));
        }
        Assert.Equal(3, names.Select(n => cluster.PortOf($"recent:{n}:info")).Distinct().Count());
    }

    [Fact]
    public void A_batch_is_one_script_per_log_and_no_transaction()
    {
        using var ps = ClusterHosts.Session();
        ps.Run("Write-RedisCommonLog -Name $n -Message warm; Update-RedisStatistic -Context $n -Type N -Value 1", new() { ["n"] = ClusterHosts.Unique("warm") }).ThrowIfFailed();
        var names = Enumerable.Range(1, 30).Select(_ => ClusterHosts.Unique("crt")).ToList();
        var primaries = cluster.PrimaryPorts();
        foreach (var port in primaries) TestCluster.Cli(port, "CONFIG", "RESETSTAT");

        ps.Run("$items | Write-RedisCommonLog; $stats | Update-RedisStatistic -Type N",
            new()
            {
                ["items"] = Items(names, "only"),
                ["stats"] = names.Select(n => (object)new System.Management.Automation.PSObject(new { Context = n, Value = 3.0 })).ToArray(),
            }).ThrowIfFailed();

        foreach (var port in primaries)
        {
            var logs = names.Count(n => cluster.PortOf($"recent:{n}:info") == port);
            var stats = names.Count(n => cluster.PortOf($"stats:{n}:N") == port);
            Assert.True(logs + stats > 0, $"node {port} got none of the keys");
            Assert.Equal(logs + stats, Calls(port, "evalsha") + Calls(port, "eval"));
            foreach (var command in new[] { "watch", "multi", "exec" }) Assert.Equal(0, Calls(port, command));
        }
        foreach (var n in names)
        {
            Assert.Equal(1, cluster.Db.SortedSetScore($"common:{{recent:{n}:info}}", "only"));
            Assert.Equal(3, cluster.Db.SortedSetScore($"stats:{n}:N", "sum"));
        }
    }

    [Fact]
    public void A_wrong_typed_key_rejects_that_log_only_and_applies_nothing_of_it()
    {
        using var ps = ClusterHosts.Session();
        var names = Enumerable.Range(1, 8).Select(_ => ClusterHosts.Unique("cwrong")).ToList();
        var bad = names[3];
        cluster.Db.StringSet($"recent:{bad}:info", "not a list");
        var r = ps.Run("$items | Write-RedisCommonLog", new() { ["items"] = Items(names, "x", "y") });
        var error = Assert.Single(r.Errors);
        Assert.Contains($"recent:{bad}:info", error.ToString(), StringComparison.Ordinal);
        Assert.Equal($"recent:{bad}:info", error.TargetObject?.ToString());
        Assert.False(cluster.Db.KeyExists($"common:{{recent:{bad}:info}}"));
        Assert.False(cluster.Db.KeyExists($"common:{{recent:{bad}:info}}:start"));
        Assert.Equal("not a list", (string?)cluster.Db.StringGet($"recent:{bad}:info"));
        foreach (var n in names.Where(n => n != bad))
        {
            Assert.Equal(1, cluster.Db.SortedSetScore($"common:{{recent:{n}:info}}", "x"));
            Assert.Equal(2, cluster.Db.ListLength($"recent:{n}:info"));
        }

        // Statistics: a wrong-typed :last rejects that statistic's values only, before any rotation.
        var contexts = Enumerable.Range(1, 6).Select(_ => ClusterHosts.Unique("swrong")).ToList();
        var wrong = $"{{stats:{contexts[2]}:N}}:last";
        cluster.Db.ListRightPush(wrong, "x");
        var s = ps.Run("$stats | Update-RedisStatistic -Type N",
            new() { ["stats"] = contexts.Select(c => (object)new System.Management.Automation.PSObject(new { Context = c, Value = 5.0 })).ToArray() });
        var statError = Assert.Single(s.Errors);
        Assert.Equal(wrong, statError.TargetObject?.ToString());
        Assert.False(cluster.Db.KeyExists($"stats:{contexts[2]}:N"));
        Assert.False(cluster.Db.KeyExists($"{{stats:{contexts[2]}:N}}:start"));
        Assert.All(contexts.Where(c => c != contexts[2]), c => Assert.Equal(1, cluster.Db.SortedSetScore($"stats:{c}:N", "count")));
    }
}
