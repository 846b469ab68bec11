using System;
using System.Collections.Generic;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Counters;

public class CounterStoreTests
{
    private const long T = 1_700_000_123; // 2023-11-14T22:15:23Z

    [Theory]
    [InlineData(0, 5, 0)]
    [InlineData(7, 5, 5)]
    [InlineData(T, 60, 1_700_000_100)]
    [InlineData(T, 86400, 1_699_920_000)]
    [InlineData(-1, 5, -5)]
    public void SlotStartIsFloorOfNowOverPrecisionTimesPrecision(long now, int precision, long expected) =>
        Assert.Equal(expected, CounterStore.SlotStart(now, precision));

    [Fact]
    public void UpdateWritesTheBooksLayoutForEveryPrecision()
    {
        var db = TestRedis.Shared.Db();
        var name = CounterHosts.Unique("hits");
        CounterStore.Update(db, new[] { new CounterIncrement(name, 3, T) });
        Assert.Equal(new[] { 1, 5, 60, 300, 3600, 18000, 86400 }, CounterStore.Precisions);
        foreach (var p in CounterStore.Precisions)
        {
            Assert.Equal(0, db.SortedSetScore("known:", $"{p}:{name}"));
            var hash = db.HashGetAll($"count:{p}:{name}");
            var entry = Assert.Single(hash);
            Assert.Equal((T / p * p).ToString(), (string?)entry.Name);
            Assert.Equal(3, (long)entry.Value);
        }
    }

    [Fact]
    public void ABatchEndsWhereTheBooksOneCallPerIncrementEnds()
    {
        var db = TestRedis.Shared.Db();
        var prefix = CounterHosts.Unique("c");
        var rng = new Random(7);
        var increments = Enumerable.Range(0, 300)
            .Select(_ => (Name: $"{prefix}-{rng.Next(4)}", Count: (long)rng.Next(1, 5), At: T + rng.Next(0, 20000)))
            .ToList();
        CounterStore.Update(db, increments.Select(i => new CounterIncrement("batched-" + i.Name, i.Count, i.At)).ToList());
        foreach (var i in increments) BookUpdateCounter(db, "book-" + i.Name, i.Count, i.At);

        foreach (var name in increments.Select(i => i.Name).Distinct())
        {
            foreach (var p in CounterStore.Precisions)
            {
                Assert.Equal(Dump(db, $"count:{p}:book-{name}"), Dump(db, $"count:{p}:batched-{name}"));
                Assert.Equal(0, db.SortedSetScore("known:", $"{p}:batched-{name}"));
            }
        }
    }

    [Fact]
    public void ReadReturnsSamplesOldestFirstAndSkipsForeignFields()
    {
        var db = TestRedis.Shared.Db();
        var name = CounterHosts.Unique("read");
        db.HashSet($"count:5:{name}", new HashEntry[] { new("1700000010", 4), new("900", 1), new("1700000005", 2), new("junk", 9), new("1700000015", "x") });
        var samples = CounterStore.Read(db, name, 5);
        Assert.Equal(new long[] { 900, 1700000005, 1700000010 }, samples.Select(s => s.Timestamp));
        Assert.Equal(new long[] { 1, 2, 4 }, samples.Select(s => s.Count));
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 25, DateTimeKind.Utc), samples[1].Time);
        Assert.Equal(DateTimeKind.Utc, samples[1].Time.Kind);
        Assert.All(samples, s => Assert.Equal(5, s.Precision));
        Assert.Empty(CounterStore.Read(db, CounterHosts.Unique("missing"), 60));
    }

    [Fact]
    public void AKeyOfTheWrongTypeFailsWithTheServersError()
    {
        var db = TestRedis.Shared.Db();
        var name = CounterHosts.Unique("wrong");
        db.StringSet($"count:60:{name}", "not a hash");
        var ex = Assert.Throws<RedisServerException>(() => CounterStore.Update(db, new[] { new CounterIncrement(name, 1, T) }));
        Assert.Contains("WRONGTYPE", ex.Message);
    }

    /// <summary>The book's update_counter, one call per increment.</summary>
    private static void BookUpdateCounter(IDatabase db, string name, long count, long now)
    {
        var tran = db.CreateTransaction();
        foreach (var p in CounterStore.Precisions)
        {
            _ = tran.SortedSetAddAsync("known:", $"{p}:{name}", 0);
            _ = tran.HashIncrementAsync($"count:{p}:{name}", now / p * p, count);
        }
        Assert.True(tran.Execute());
    }

    private static SortedDictionary<string, long> Dump(IDatabase db, string key) =>
        new(db.HashGetAll(key).ToDictionary(e => (string)e.Name!, e => (long)e.Value), StringComparer.Ordinal);
}
