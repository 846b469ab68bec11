using System;
using System.IO;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Geo;
using RedisComponents.Logging;
using RedisComponents.Tests.Geo;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>Every data cmdlet on the 3-primary cluster: Get-* reads what Write-* wrote, in the layout README documents.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCmdletTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    [Fact]
    public void Recent_log_batches_over_many_names_are_split_per_slot_and_spread_over_every_primary()
    {
        using var ps = ClusterHosts.Session();
        // Independent names: CRC16 is linear, so names that differ only in a counter can share a third of the slots.
        var names = Enumerable.Range(0, 41).Select(_ => ClusterHosts.Unique("spread")).ToArray();
        ps.Run("& { foreach ($i in 1..40) { foreach ($s in 'info', 'error') { [pscustomobject]@{ Name = $names[$i]; Severity = $s; Message = \"m$i\" } } } } | Write-RedisRecentLog",
            new() { ["names"] = names }).ThrowIfFailed();
        var keys = Enumerable.Range(1, 40).SelectMany(i => new[] { $"recent:{names[i]}:info", $"recent:{names[i]}:error" }).ToList();
        Assert.All(keys, k => Assert.Equal(1, cluster.Db.ListLength(k)));
        Assert.Equal(3, keys.Select(cluster.PortOf).Distinct().Count());
        var read = ps.Run("Get-RedisRecentLog -Name $n -Severity error", new() { ["n"] = names[7] }).ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal("m7", Assert.Single(read).Message);
        // LPUSH + LTRIM per key: never more than 100 entries.
        ps.Run("1..250 | ForEach-Object { \"x$_\" } | Write-RedisRecentLog -Name $n", new() { ["n"] = names[1] }).ThrowIfFailed();
        Assert.Equal(100, cluster.Db.ListLength($"recent:{names[1]}:info"));
    }

    [Fact]
    public void Common_log_keys_share_the_slot_of_the_book_recent_list()
    {
        using var ps = ClusterHosts.Session();
        var names = Enumerable.Range(1, 30).Select(i => ClusterHosts.Unique("common")).ToList();
        ps.Run("foreach ($n in $names) { 'a', 'b', 'a' | Write-RedisCommonLog -Name $n }", new() { ["names"] = names.ToArray() }).ThrowIfFailed();
        foreach (var n in names)
        {
            var recent = $"recent:{n}:info";
            var common = $"common:{{{recent}}}";
            Assert.Equal(cluster.Slot(recent), cluster.Slot(common));
            Assert.Equal(2, cluster.Db.SortedSetScore(common, "a"));
            Assert.Equal(HourKey(), (string?)cluster.Db.StringGet(common + ":start"));
            Assert.Equal(3, cluster.Db.ListLength(recent));
        }
        Assert.Equal(3, names.Select(n => cluster.PortOf($"recent:{n}:info")).Distinct().Count());
        var counts = ps.Run("Get-RedisCommonLog -Name $n", new() { ["n"] = names[0] }).ThrowIfFailed().All<CommonLogEntry>();
        Assert.Equal(new[] { ("a", 2L), ("b", 1L) }, counts.Select(c => (c.Message, c.Count)));
    }

    [Fact]
    public void Counters_keep_the_book_keys_and_read_back()
    {
        using var ps = ClusterHosts.Session();
        var names = Enumerable.Range(1, 30).Select(_ => ClusterHosts.Unique("hits")).ToArray();
        var t = new DateTimeOffset(2026, 12, 2, 10, 0, 3, TimeSpan.Zero);
        ps.Run("foreach ($n in $names) { Update-RedisCounter -Name $n -Count 2 -Timestamp $t; Update-RedisCounter -Name $n -Timestamp $t }",
            new() { ["names"] = names, ["t"] = t.UtcDateTime }).ThrowIfFailed();
        foreach (var n in names)
        {
            foreach (var p in CounterStore.Precisions)
            {
                Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{n}"));
                Assert.Equal(3, (long)cluster.Db.HashGet($"count:{p}:{n}", CounterStore.SlotStart(t.ToUnixTimeSeconds(), p)));
            }
        }
        Assert.Equal(3, names.Select(n => cluster.PortOf($"count:5:{n}")).Distinct().Count());
        var sample = ps.Run("Get-RedisCounter -Name $n -Precision 5", new() { ["n"] = names[0] }).ThrowIfFailed().Single<CounterSample>();
        Assert.Equal(3, sample.Count);
        // Tokens of the batches (one per node chunk, in the slot of its first counter key) expire by themselves.
        var token = names.SelectMany(n => cluster.AllKeys("{count:*:" + n + "}:batch:*")).ToList();
        Assert.NotEmpty(token);
        Assert.All(token, k => Assert.InRange(cluster.Db.KeyTimeToLive(k)!.Value.TotalSeconds, 1, ClusterCounterStore.TokenSeconds));
    }

    [Fact]
    public void The_cleaner_removes_empty_counters_and_keeps_live_ones()
    {
        using var ps = ClusterHosts.Session();
        var live = ClusterHosts.Unique("live");
        var dead = ClusterHosts.Unique("dead");
        ps.Run("Update-RedisCounter -Name $l; Update-RedisCounter -Name $d", new() { ["l"] = live, ["d"] = dead }).ThrowIfFailed();
        foreach (var p in CounterStore.Precisions) cluster.Db.KeyDelete($"count:{p}:{dead}");
        var result = ps.Run("Invoke-RedisCounterCleanup").ThrowIfFailed().Single<CounterCleanupResult>();
        Assert.Contains($"1:{dead}", result.RemovedCounters);
        Assert.Null(cluster.Db.SortedSetScore("known:", $"1:{dead}"));
        Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"1:{live}"));
    }

    [Fact]
    public void Statistics_and_access_times_rotate_in_one_slot_and_keep_the_book_key()
    {
        using var ps = ClusterHosts.Session();
        var context = ClusterHosts.Unique("ctx");
        ps.Run("1, 2, 3 | Update-RedisStatistic -Context $c -Type Bytes", new() { ["c"] = context }).ThrowIfFailed();
        var book = $"stats:{context}:Bytes";
        Assert.Equal(3, cluster.Db.SortedSetScore(book, "count"));
        Assert.Equal(HourKey(), (string?)cluster.Db.StringGet($"{{{book}}}:start"));
        Assert.Equal(cluster.Slot(book), cluster.Slot($"{{{book}}}:start"));
        var stats = ps.Run("Get-RedisStatistic -Context $c -Type Bytes", new() { ["c"] = context }).ThrowIfFailed().Single<Statistic>();
        Assert.Equal(6, stats.Sum);

        ps.Run("Measure-RedisAccessTime -Context $c -ScriptBlock { 1 } | Out-Null", new() { ["c"] = context }).ThrowIfFailed();
        Assert.Equal(1, cluster.Db.SortedSetScore($"stats:{context}:AccessTime", "count"));
        Assert.NotNull(cluster.Db.SortedSetScore("slowest:AccessTime", context));
        var slowest = ps.Run("Get-RedisAccessTime").ThrowIfFailed().All<AccessTimeEntry>();
        Assert.Contains(slowest, e => e.Context == context);
        var spread = Enumerable.Range(1, 30).Select(_ => $"stats:{ClusterHosts.Unique("ctx")}:Bytes").Select(cluster.PortOf).Distinct().Count();
        Assert.Equal(3, spread);
    }

    [Fact]
    public void Geo_imports_swap_per_file_in_one_slot_and_find_city_reads_them()
    {
        using var ps = ClusterHosts.Session();
        var dir = Path.Combine(Path.GetTempPath(), "rc-cluster-geo-" + Guid.NewGuid().ToString("N"));
        try
        {
            GeoDataGenerator.WriteSampleSet(dir);
            ps.Run("Import-RedisIpBlock -Path $b | Out-Null; Import-RedisCityLocation -Path $l | Out-Null; Import-RedisIpBlock -Path $b6 | Out-Null",
                new() { ["b"] = Path.Combine(dir, "GeoLiteCity-Blocks.csv"), ["l"] = Path.Combine(dir, "GeoLiteCity-Location.csv"), ["b6"] = Path.Combine(dir, "GeoLite2-City-Blocks-IPv6.csv") }).ThrowIfFailed();
            Assert.True(cluster.Db.SortedSetLength(GeoKeys.IpToCityId) > 0);
            Assert.True(cluster.Db.HashLength("{ip2cityid:}:ends") > 0);
            Assert.True(cluster.Db.SortedSetLength("{ip2cityid:}:v6") > 0);
            Assert.True(cluster.Db.HashLength(GeoKeys.CityIdToCity) > 0);
            Assert.Empty(cluster.AllKeys("*importing*"));
            var first = cluster.Db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId, 0, 0)[0];
            var address = GeoDataGenerator.Address((long)first.Score, dotted: true);
            var found = ps.Run("Find-RedisCity -IPAddress $a", new() { ["a"] = address }).ThrowIfFailed().Single<IpCity>();
            Assert.Equal(((string)first.Element!).Split('_')[0], found.CityId);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string HourKey() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH':00:00'", System.Globalization.CultureInfo.InvariantCulture);
}
