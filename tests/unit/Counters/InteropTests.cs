using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>
/// The book's own Python (tests/interop/book_counters.py, redis-py) and the cmdlets share one Redis.
/// Runs where a python3 with redis-py is installed (apt-get install python3-redis); elsewhere the C#
/// reference tests (CounterStoreTests, StatisticStoreTests) cover the layout.
/// </summary>
public class InteropTests
{
    [Fact]
    public void TheBooksPythonAndTheCmdletsReadEachOthersCountersAndStatistics()
    {
        if (!Python.Available) return; // no python3 with redis-py here
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var prefix = CounterHosts.Unique("interop");
        var t = new DateTime(2023, 11, 14, 22, 15, 23, DateTimeKind.Utc); // 1700000123
        ps.Run("Update-RedisCounter -Component app -Name $n -Count 2 -Timestamp $t; Update-RedisCounter -Component app -Name $n -Timestamp $t.AddSeconds(67); 1.5, 2.5, 8 | Update-RedisStatistic -Component app -Context $n -Type Bytes",
            new() { ["n"] = prefix + "-ps", ["t"] = t }).ThrowIfFailed();

        using var json = JsonDocument.Parse(RunPython(server.Port, prefix));

        // Python reads ours.
        var root = json.RootElement;
        Assert.Equal(CounterStore.Precisions.Select(p => $"{p}:{prefix}-ps").OrderBy(m => m, StringComparer.Ordinal),
            root.GetProperty("known").EnumerateArray().Select(e => e.GetString()));
        foreach (var p in CounterStore.Precisions)
        {
            var theirs = root.GetProperty("counter").GetProperty(p.ToString()).EnumerateArray().Select(e => (e[0].GetInt64(), e[1].GetInt64()));
            Assert.Equal(CounterStore.Read(server.Db(), prefix + "-ps", p).Select(s => (s.Timestamp, s.Count)), theirs);
        }
        var stats = root.GetProperty("stats");
        var ours = ps.Run("Get-RedisStatistic -Component app -Context $n -Type Bytes", new() { ["n"] = prefix + "-ps" }).ThrowIfFailed().Single<Statistic>();
        Assert.Equal((3.0, 12.0, 1.5, 8.0), (stats.GetProperty("count").GetDouble(), stats.GetProperty("sum").GetDouble(), stats.GetProperty("min").GetDouble(), stats.GetProperty("max").GetDouble()));
        Assert.Equal(ours.Average, stats.GetProperty("average").GetDouble(), 12);
        Assert.Equal(ours.StdDev, stats.GetProperty("stddev").GetDouble(), 12);

        // The cmdlets read Python's.
        var samples = ps.Run("Get-RedisCounter -Component app -Name $n -Precision 60", new() { ["n"] = prefix + "-py" }).ThrowIfFailed().All<CounterSample>();
        Assert.Equal(new[] { (1700000100L, 2L), (1700000160L, 1L) }, samples.Select(s => (s.Timestamp, s.Count)));
        var theirStats = ps.Run("Get-RedisStatistic -Component app -Context $n -Type Bytes", new() { ["n"] = prefix + "-py" }).ThrowIfFailed().Single<Statistic>();
        Assert.Equal((3L, 12.0, 1.5, 8.0, 72.5), (theirStats.Count, theirStats.Sum, theirStats.Min, theirStats.Max, theirStats.SumOfSquares));
        Assert.NotNull(theirStats.Hour);
    }

    private static string RunPython(int port, string prefix)
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests", "interop", "book_counters.py");
        var run = Python.Run(new[] { script, port.ToString(), prefix });
        Assert.True(run.ExitCode == 0, "book_counters.py failed: " + run.Error);
        return run.Output;
    }
}
