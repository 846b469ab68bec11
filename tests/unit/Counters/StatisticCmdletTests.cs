using System;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

public class StatisticCmdletTests
{
    [Fact]
    public void PipedValuesAreRecordedAndReadBack()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("page");
        ps.Run("1, 2, 3, 4 | Update-RedisStatistic -Component app -Context $c -Type Bytes; Update-RedisStatistic -Component app -Context $c -Type Bytes 10",
            new() { ["c"] = context }).ThrowIfFailed();

        var stats = ps.Run("Get-RedisStatistic -Component app -Context $c -Type Bytes", new() { ["c"] = context }).ThrowIfFailed().Single<Statistic>();

        Assert.Equal((context, "Bytes", 5L, 20.0, 130.0, 1.0, 10.0, 4.0), (stats.Context, stats.Type, stats.Count, stats.Sum, stats.SumOfSquares, stats.Min, stats.Max, stats.Average));
        Assert.Equal(Math.Sqrt((130 - 400.0 / 5) / 4), stats.StdDev, 12);
        Assert.False(stats.Previous);
        Assert.Contains("count=5", stats.ToString());
    }

    [Fact]
    public void ABigStreamIsFoldedIntoOneTransactionPerThousandValues()
    {
        using var server = TestRedis.StartOwned();
        using var ps = CounterHosts.WithComponent(server);
        ps.Run("Test-RedisComponent app -Quiet").ThrowIfFailed();
        server.ResetStats();

        // One binding: the batches are full at once, so how many there are does not depend on the 200 ms timer.
        var last = ps.Run("Update-RedisStatistic -Component app -Context big -Type N -PassThru -Value (1..2500)").ThrowIfFailed().All<Statistic>();

        // Batches of at most 1000 values, one transaction and one output each: three when the pipeline is
        // quick; a loaded machine also sends a batch whose oldest value waited 200 ms (so more, never fewer).
        var counts = last.Select(s => s.Count).ToArray();
        Assert.True(counts.Length >= 3, string.Join(", ", counts));
        Assert.Equal(counts.Length, server.CommandCalls("exec"));
        Assert.Equal(2500L, counts[^1]);
        Assert.All(counts.Zip(counts.Skip(1)), p => Assert.InRange(p.Second - p.First, 1, 1000));
        Assert.InRange(counts[0], 1, 1000);
        Assert.Equal((2500 * 2501 / 2.0, 1.0, 2500.0), (last[^1].Sum, last[^1].Min, last[^1].Max));
    }

    [Fact]
    public void MissingStatisticsReturnNothingAndSayWhichKeyOnVerbose()
    {
        // The module's one rule for unknown names (as Get-RedisCounter and the log readers): no output, no error.
        using var ps = CounterHosts.WithComponent(TestRedis.Shared);
        var context = CounterHosts.Unique("nothing");
        var result = ps.Run("Get-RedisStatistic -Component app -Context $c -Type AccessTime -Verbose; 'went on'", new() { ["c"] = context });
        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(new object[] { "went on" }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(result.Verbose, v => v.Contains($"stats:{context}:AccessTime") && v.Contains("component 'app'"));
    }

    [Fact]
    public void ABadValueInAStreamIsReportedAndTheRestRecorded()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("mixed");
        var result = ps.Run("1, -2, [double]::NaN, 'abc', 5 | Update-RedisStatistic -Component app -Context $c -Type v", new() { ["c"] = context });
        Assert.Equal(3, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.ToString().Contains("finite numbers greater than or equal to 0"));
        var scores = StatisticStoreTests.Scores(server.Db(), $"stats:{context}:v");
        Assert.Equal((2.0, 6.0, 1.0, 5.0), (scores["count"], scores["sum"], scores["min"], scores["max"]));
    }

    [Fact]
    public void WhatIfRecordsNothing()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("whatif");
        ps.Run("Update-RedisStatistic -Component app -Context $c -Type v 3 -WhatIf", new() { ["c"] = context }).ThrowIfFailed();
        Assert.False(server.Db().KeyExists($"stats:{context}:v"));
    }
}
