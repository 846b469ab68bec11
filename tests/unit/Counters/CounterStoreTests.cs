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
    public void ACounterWithAWrongTypedKeyIsRefusedWholeAndTheOthersAreWritten()
    {
        var db = TestRedis.Shared.Db();
        var good = CounterHosts.Unique("good");
        var wrong = CounterHosts.Unique("wrong");
        var junk = CounterHosts.Unique("junk");
        db.StringSet($"count:60:{wrong}", "not a hash");
        db.HashSet($"count:3600:{junk}", T / 3600 * 3600, "x"); // a sample that is not an integer

        var rejected = CounterStore.Update(db, new[]
        {
            new CounterIncrement(good, 1, T), new CounterIncrement(wrong, 2, T), new CounterIncrement(junk, 3, T), new CounterIncrement(good, 4, T),
        });

        Assert.Equal(new[] { (wrong, $"count:60:{wrong}", false), (junk, $"count:3600:{junk}", false) },
            rejected.Select(r => (r.Name, r.Key, r.Overflow)).OrderBy(r => r.Name == junk));
        Assert.Contains("WRONGTYPE", rejected.Single(r => r.Name == wrong).ServerMessage);
        foreach (var p in CounterStore.Precisions)
        {
            Assert.Equal(5, (long)db.HashGet($"count:{p}:{good}", T / p * p));
            Assert.Equal(0, db.SortedSetScore("known:", $"{p}:{good}"));
            Assert.Null(db.SortedSetScore("known:", $"{p}:{wrong}"));
            Assert.Null(db.SortedSetScore("known:", $"{p}:{junk}"));
            if (p != 60) Assert.False(db.KeyExists($"count:{p}:{wrong}"), $"count:{p}:{wrong} was written");
            if (p != 3600) Assert.False(db.KeyExists($"count:{p}:{junk}"), $"count:{p}:{junk} was written");
        }
        Assert.Equal("not a hash", (string?)db.StringGet($"count:60:{wrong}"));
        Assert.Equal("x", (string?)Assert.Single(db.HashGetAll($"count:3600:{junk}")).Value);
    }

    [Fact]
    public void ARefusedCounterKeepsItsEarlierSamples()
    {
        var db = TestRedis.Shared.Db();
        var name = CounterHosts.Unique("kept");
        CounterStore.Update(db, new[] { new CounterIncrement(name, 2, T) });
        db.KeyDelete($"count:86400:{name}");
        db.StringSet($"count:86400:{name}", "in the way");

        var rejection = Assert.Single(CounterStore.Update(db, new[] { new CounterIncrement(name, 5, T), new CounterIncrement(name, 1, T + 3600) }));

        Assert.Equal((2, 6L), (rejection.Items, rejection.Hits));
        foreach (var p in CounterStore.Precisions.Where(p => p != 86400))
        {
            Assert.Equal(new SortedDictionary<string, long> { [(T / p * p).ToString()] = 2 }, Dump(db, $"count:{p}:{name}"));
        }
    }

    [Fact]
    public void TotalsThatWouldOverflowAreRefusedForThatCounterOnly()
    {
        var db = TestRedis.Shared.Db();
        var big = CounterHosts.Unique("big");
        var stored = CounterHosts.Unique("stored");
        var other = CounterHosts.Unique("other");
        db.HashSet($"count:5:{stored}", T / 5 * 5, long.MaxValue - 1);

        var rejected = CounterStore.Update(db, new[]
        {
            new CounterIncrement(big, long.MaxValue, T), new CounterIncrement(other, 1, T),
            new CounterIncrement(big, long.MaxValue, T), new CounterIncrement(stored, 2, T),
        });

        Assert.Equal(new[] { (big, 1, true), (stored, 1, true) }, rejected.Select(r => (r.Name, r.Items, r.Overflow)).OrderBy(r => r.Name == stored));
        Assert.Equal(new[] { 2 }, rejected.Single(r => r.Name == big).ItemIndices);
        foreach (var p in CounterStore.Precisions)
        {
            Assert.Equal(long.MaxValue, (long)db.HashGet($"count:{p}:{big}", T / p * p));
            Assert.Equal(1, (long)db.HashGet($"count:{p}:{other}", T / p * p));
            if (p != 5) Assert.False(db.KeyExists($"count:{p}:{stored}"));
        }
        Assert.Equal(long.MaxValue - 1, (long)db.HashGet($"count:5:{stored}", T / 5 * 5));
    }

    [Fact]
    public void OneCounterOverManySlotsIsSplitIntoBoundedSegmentsOfWholeItems()
    {
        var db = TestRedis.Shared.Db();
        var name = CounterHosts.Unique("spread");
        var items = Enumerable.Range(0, 400).Select(i => new CounterIncrement(name, 1, T + i * 7L)).ToList();

        var fold = CounterFold.Of(items);
        Assert.True(fold.Segments.Count > 1);
        Assert.All(fold.Segments, s => Assert.InRange(s.Totals.Count, 7, CounterFold.MaxSlots));
        Assert.Equal(Enumerable.Range(0, 400), fold.Segments.SelectMany(s => s.ItemIndices));
        Assert.Empty(CounterStore.Update(db, items));

        foreach (var i in items) BookUpdateCounter(db, "book-" + name, 1, i.UnixSeconds);
        foreach (var p in CounterStore.Precisions) Assert.Equal(Dump(db, $"count:{p}:book-{name}"), Dump(db, $"count:{p}:{name}"));
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
