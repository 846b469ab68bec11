using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// A primary failover and a slot migration while writers run: no hang, every error a module error with an id,
/// and the writes after the change land without a re-import or a new session.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFaultTests
{
    private static readonly string[] ModuleIds =
    {
        "ComponentUnreachable", "ComponentClusterCrossSlot", "RedisCommandFailed", "CommonLogContended", "StatisticContended", "ComponentReadOnly",
    };

    private readonly TestCluster cluster = TestCluster.Shared;
    private readonly Xunit.Abstractions.ITestOutputHelper output;

    public ClusterFaultTests(Xunit.Abstractions.ITestOutputHelper output) => this.output = output;

    private const string Writer = """
        $i = 0
        while (-not $stop.IsSet) {
            $i++
            Write-RedisRecentLog -Name $n -Message "during-$i"
            Write-RedisCommonLog -Name $n -Message 'c'
            Update-RedisCounter -Name $n
            Update-RedisStatistic -Context $n -Type T -Value 1
            1..20 | ForEach-Object { "p$_" } | Write-RedisRecentLog -Name "$n-p"
            $running.Set()
            [System.Threading.Thread]::Sleep(5)
        }
        """;

    private const string After = """
        1..10 | ForEach-Object { Write-RedisRecentLog -Name $n -Message "after-$_" }
        Write-RedisCommonLog -Name $n -Message 'after'
        Update-RedisCounter -Name $n -Count 5
        Update-RedisStatistic -Context $n -Type T -Value 1
        """;

    private void RunThrough(string name, Action change)
    {
        using var ps = ClusterHosts.Session();
        using var stop = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        var writer = Task.Run(() => ps.Run(Writer, new() { ["n"] = name, ["stop"] = stop, ["running"] = running }));
        Assert.True(running.Wait(TimeSpan.FromSeconds(60)), "the writer did not start");
        change();
        running.Reset();
        Assert.True(running.Wait(TimeSpan.FromSeconds(60)) || writer.IsCompleted, "the writer made no progress after the change");
        stop.Set();
        Assert.True(writer.Wait(TimeSpan.FromSeconds(120)), "the writer hung");
        var during = writer.Result;
        Assert.Null(during.Terminating);
        output.WriteLine($"{during.Errors.Count} error(s) during the change: " + string.Join(" | ", during.Errors.Select(e => e.FullyQualifiedErrorId).Distinct()));
        foreach (var e in during.Errors.Take(3)) output.WriteLine(e.ToString());
        foreach (var error in during.Errors)
        {
            Assert.True(ModuleIds.Any(id => error.FullyQualifiedErrorId.StartsWith(id + ",", StringComparison.Ordinal)), "not a module error: " + error.FullyQualifiedErrorId + ": " + error);
            Assert.DoesNotContain("StackExchange", error.ToString());
        }

        // Recovery: the same session writes and reads as before (no re-import, no Disconnect).
        var after = ps.Run(After, new() { ["n"] = name });
        after.ThrowIfFailed();
        var recent = cluster.Db.ListRange($"recent:{name}:info", 0, 10).Select(v => ((string)v!).Substring(25)).ToArray();
        Assert.Equal(new[] { "after" }.Concat(Enumerable.Range(1, 10).Reverse().Select(i => $"after-{i}")), recent); // the common log pushes too
        Assert.Equal(1, cluster.Db.SortedSetScore($"common:{{recent:{name}:info}}", "after"));
        var read = ps.Run("Get-RedisRecentLog -Name $n -Count 2", new() { ["n"] = name }).ThrowIfFailed().All<RedisComponents.Logging.RecentLogEntry>();
        Assert.Equal("after-10", read[1].Message);
    }

    [Fact]
    public void A_primary_failover_mid_pipeline_recovers_without_a_new_session()
    {
        var name = ClusterHosts.Unique("fo");
        cluster.WaitHealthy();
        var primary = cluster.PortOf($"recent:{name}:info");
        RunThrough(name, () =>
        {
            var promoted = cluster.FailOver(primary);
            Assert.Equal(promoted, cluster.PortOf($"recent:{name}:info"));
        });
    }

    [Fact]
    public void A_slot_migration_mid_pipeline_recovers_without_a_new_session()
    {
        var name = ClusterHosts.Unique("mig");
        cluster.WaitHealthy();
        var key = $"recent:{name}:info";
        var slot = cluster.Slot(key);
        var source = cluster.PortOf(key);
        var target = cluster.PrimaryPorts().First(p => p != source);
        RunThrough(name, () =>
        {
            cluster.MigrateSlot(slot, source, target, () => Thread.Sleep(100));
            Assert.Equal(target, cluster.PortOf(key));
        });
    }
}
