using System;
using System.Collections.Generic;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Counters;

public class StatisticStoreTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void ABatchEndsWhereTheBooksOneCallPerValueEnds()
    {
        var db = TestRedis.Shared.Db();
        var context = CounterHosts.Unique("ctx");
        var rng = new Random(11);
        var values = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble() * 1000, 3)).ToList();
        foreach (var chunk in values.Chunk(64)) StatisticStore.Update(db, context, "batched", chunk, Timeout);
        foreach (var value in values) BookUpdateStats(db, $"stats:{context}:book", value);

        var book = Scores(db, $"stats:{context}:book");
        var ours = Scores(db, $"stats:{context}:batched");
        Assert.Equal(new[] { "count", "max", "min", "sum", "sumsq" }, ours.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(book["count"], ours["count"]);
        Assert.Equal(book["min"], ours["min"]);
        Assert.Equal(book["max"], ours["max"]);
        Assert.Equal(book["sum"], ours["sum"], 6);
        Assert.Equal(book["sumsq"], ours["sumsq"], 1);
        Assert.Equal(values.Min(), ours["min"]);
        Assert.Equal(values.Max(), ours["max"]);
        Assert.NotNull(db.StringGet($"stats:{context}:batched:start").ToString()); // the errata: the start key is set
    }

    [Fact]
    public void UpdateReturnsTheStatisticsRightAfterTheWrite()
    {
        var db = TestRedis.Shared.Db();
        var context = CounterHosts.Unique("ctx");
        StatisticStore.Update(db, context, "Bytes", new[] { 2.0, 4.0 }, Timeout);
        var stats = StatisticStore.Update(db, context, "Bytes", new[] { 9.0 }, Timeout);
        Assert.Equal((3L, 15.0, 101.0, 2.0, 9.0), (stats.Count, stats.Sum, stats.SumOfSquares, stats.Min, stats.Max));
        Assert.Equal(5.0, stats.Average);
        Assert.Equal(Math.Sqrt((101 - 225.0 / 3) / 2), stats.StdDev, 12);
        Assert.Equal($"stats:{context}:Bytes", stats.Key);
        Assert.NotNull(stats.Hour);
        Assert.Equal(0, stats.Hour!.Value.Minute);
    }

    [Fact]
    public void ReadGivesNullForMissingStatistics()
    {
        var db = TestRedis.Shared.Db();
        Assert.Null(StatisticStore.Read(db, CounterHosts.Unique("none"), "AccessTime", previous: false));
        Assert.Null(StatisticStore.Read(db, CounterHosts.Unique("none"), "AccessTime", previous: true));
    }

    [Fact]
    public void StdDevIsNeverNaNFromRounding()
    {
        // 0.1 three times: sumsq - sum²/count is a hair below zero in binary floating point.
        var stats = new Statistic { Count = 3, Sum = 0.1 + 0.1 + 0.1, SumOfSquares = 0.1 * 0.1 * 3, Min = 0.1, Max = 0.1 };
        Assert.True(stats.SumOfSquares - stats.Sum * stats.Sum / stats.Count < 0);
        Assert.Equal(0, stats.StdDev);
        var single = new Statistic { Count = 1, Sum = 4, SumOfSquares = 16, Min = 4, Max = 4 };
        Assert.Equal(0, single.StdDev); // count - 1 = 0: the book divides by 1
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteValuesAreRefused(double value) =>
        Assert.Throws<ArgumentException>(() => StatisticStore.Update(TestRedis.Shared.Db(), "x", "y", new[] { 1, value }, Timeout));

    /// <summary>The book's update_stats for one value (without the rotation, which these tests do not cross).</summary>
    private static void BookUpdateStats(IDatabase db, string destination, double value)
    {
        var tkey1 = Guid.NewGuid().ToString();
        var tkey2 = Guid.NewGuid().ToString();
        var tran = db.CreateTransaction();
        _ = tran.SortedSetAddAsync(tkey1, "min", value);
        _ = tran.SortedSetAddAsync(tkey2, "max", value);
        _ = tran.SortedSetCombineAndStoreAsync(SetOperation.Union, destination, new RedisKey[] { destination, tkey1 }, aggregate: Aggregate.Min);
        _ = tran.SortedSetCombineAndStoreAsync(SetOperation.Union, destination, new RedisKey[] { destination, tkey2 }, aggregate: Aggregate.Max);
        _ = tran.KeyDeleteAsync(new RedisKey[] { tkey1, tkey2 });
        _ = tran.SortedSetIncrementAsync(destination, "count", 1);
        _ = tran.SortedSetIncrementAsync(destination, "sum", value);
        _ = tran.SortedSetIncrementAsync(destination, "sumsq", value * value);
        Assert.True(tran.Execute());
    }

    internal static Dictionary<string, double> Scores(IDatabase db, string key) =>
        db.SortedSetRangeByRankWithScores(key).ToDictionary(e => (string)e.Element!, e => e.Score, StringComparer.Ordinal);
}
