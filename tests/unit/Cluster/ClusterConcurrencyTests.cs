using System;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// The per-pattern guarantees on the cluster under 4 concurrent runspaces, across an hour boundary of the fake
/// module clock (so these run alone in the clock collection; the cluster is the process-wide shared one).
/// </summary>
[Collection(ClockCollection.Name)]
public sealed class ClusterConcurrencyTests : IDisposable
{
    private readonly TestCluster cluster = TestCluster.Shared;
    private readonly FakeClock clock;
    private readonly IDisposable restore;

    public ClusterConcurrencyTests()
    {
        clock = FakeClock.Install(new DateTimeOffset(2026, 11, 24, 10, 59, 30, TimeSpan.Zero), out restore);
    }

    public void Dispose() => restore.Dispose();

    private double Sum(string key) => cluster.Db.SortedSetRangeByRankWithScores(key).Sum(e => e.Score);

    [Fact]
    public async Task Four_writers_across_an_hour_boundary_lose_no_common_log_increment_and_no_statistic()
    {
        const int PerHost = 200;
        var name = ClusterHosts.Unique("rot");
        var hosts = Enumerable.Range(0, 4).Select(_ => ClusterHosts.Session()).ToList();
        var dest = $"common:{{recent:{name}:info}}";
        var stats = $"stats:{name}:N";
        try
        {
            var writers = hosts.Select((ps, h) => Task.Run(() => ps.Run("""
                foreach ($i in 1..($per / 2)) { Write-RedisCommonLog -Name $n -Message "m$($i % 7)"; Update-RedisStatistic -Context $n -Type N -Value 1 }
                1..($per / 2) | ForEach-Object { "h$h-$($_ % 3)" } | Write-RedisCommonLog -Name $n
                1..($per / 2) | ForEach-Object { 2 } | Update-RedisStatistic -Context $n -Type N
                """, new() { ["n"] = name, ["per"] = PerHost, ["h"] = h }).ThrowIfFailed())).ToArray();

            Wait.Until(() => Sum(dest) >= 100 || writers.All(w => w.IsCompleted), "the writers to log 100 messages", 60);
            clock.Set(new DateTimeOffset(2026, 11, 24, 11, 0, 5, TimeSpan.Zero));
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(120));

            var before = Sum(dest + ":last");
            var after = Sum(dest);
            Assert.Equal(4 * PerHost, before + after);
            Assert.True(before >= 100 && after > 0, $"the hour changed mid-way ({before} before, {after} after)");
            Assert.Equal("2026-11-24T11:00:00", (string?)cluster.Db.StringGet(dest + ":start"));
            Assert.Equal("2026-11-24T10:00:00", (string?)cluster.Db.StringGet(dest + ":pstart"));
            Assert.Equal(100, cluster.Db.ListLength($"recent:{name}:info"));

            var count = (cluster.Db.SortedSetScore(stats, "count") ?? 0) + (cluster.Db.SortedSetScore($"{{{stats}}}:last", "count") ?? 0);
            var sum = (cluster.Db.SortedSetScore(stats, "sum") ?? 0) + (cluster.Db.SortedSetScore($"{{{stats}}}:last", "sum") ?? 0);
            Assert.Equal(4 * PerHost, count);
            Assert.Equal(4 * (PerHost / 2 * 1 + PerHost / 2 * 2), sum);
            Assert.Equal("2026-11-24T11:00:00", (string?)cluster.Db.StringGet($"{{{stats}}}:start"));
        }
        finally
        {
            foreach (var ps in hosts) ps.Dispose();
        }
    }

    [Fact]
    public async Task Counters_written_while_a_cleaner_runs_are_all_listed_and_counted_once()
    {
        clock.Set(DateTimeOffset.UtcNow);
        var stem = ClusterHosts.Unique("race");
        var hosts = Enumerable.Range(0, 4).Select(_ => ClusterHosts.Session()).ToList();
        try
        {
            // Three writers create fresh counters (each is empty in known: for a moment); the fourth cleans all the time.
            var writers = hosts.Take(3).Select((ps, h) => Task.Run(() => ps.Run("""
                foreach ($i in 1..60) { Update-RedisCounter -Name "$stem-$h-$i" -Count 2; "$stem-$h-$i", "$stem-$h-$i" | Update-RedisCounter }
                """, new() { ["stem"] = stem, ["h"] = h }).ThrowIfFailed())).ToArray();
            var cleaner = Task.Run(() =>
            {
                while (!writers.All(w => w.IsCompleted)) hosts[3].Run("Invoke-RedisCounterCleanup -Confirm:$false | Out-Null").ThrowIfFailed();
            });
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(120));
            await cleaner.WaitAsync(TimeSpan.FromSeconds(60));

            for (var h = 0; h < 3; h++)
            {
                for (var i = 1; i <= 60; i++)
                {
                    foreach (var p in CounterStore.Precisions)
                    {
                        var member = $"{p}:{stem}-{h}-{i}";
                        var total = cluster.Db.HashValues("count:" + member).Sum(v => (long)v);
                        Assert.Equal(4, total);
                        Assert.True(cluster.Db.SortedSetScore("known:", member) is not null, $"known: lost {member}, which has samples");
                    }
                }
            }
        }
        finally
        {
            foreach (var ps in hosts) ps.Dispose();
        }
    }
}
