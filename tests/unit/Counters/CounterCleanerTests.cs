using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Counters;

/// <summary>The cleaner walks all of <c>known:</c>, so each test has a Redis of its own.</summary>
public class CounterCleanerTests
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public void APassKeepsTheNewestSampleCountTimesPrecisionSeconds()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        var now = Now;
        CounterStore.Update(db, Enumerable.Range(0, 400).Select(age => new CounterIncrement("hits", 1, now - age)).ToList());
        CounterStore.Update(db, new[] { new CounterIncrement("hits", 1, now - 40 * 86400) });

        long Stored() => CounterStore.Precisions.Sum(p => db.HashLength($"count:{p}:hits"));
        var before = Stored();

        var result = new CounterCleaner(sampleCount: 120).RunPass(db);

        Assert.Equal(0, result.Pass);
        Assert.Equal(7, result.CountersChecked);
        foreach (var p in CounterStore.Precisions)
        {
            var slots = db.HashKeys($"count:{p}:hits").Select(f => (long)f).ToList();
            Assert.NotEmpty(slots);
            Assert.All(slots, slot => Assert.True(slot > now - 120 * p - 1, $"precision {p}: slot {slot} is older than {120 * p} s"));
        }
        // Precision 1: slots now-399..now, of which those ≤ now-120 go (280, give or take the clock's second).
        Assert.InRange(db.HashLength("count:1:hits"), 119, 121);
        Assert.Equal(before - Stored(), result.SamplesRemoved);
        Assert.True(result.SamplesRemoved >= 280 + 1 + 1 + 1, $"removed {result.SamplesRemoved}"); // p=1, and the 40-day-old slot of p=1, 5, 60...
        var fortyDaysAgo = now - 40 * 86400;
        Assert.True(db.HashExists("count:86400:hits", CounterStore.SlotStart(fortyDaysAgo, 86400))); // 40 days < 120 days: kept
        Assert.False(db.HashExists("count:18000:hits", CounterStore.SlotStart(fortyDaysAgo, 18000))); // 40 days > 25 days: gone
        Assert.Equal(6, result.CountersCleaned);
        Assert.Empty(result.RemovedCounters);
    }

    [Fact]
    public void EmptyOrMissingCountersLeaveKnownButActiveOnesStay()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        var now = Now;
        db.SortedSetAdd("known:", "5:ghost", 0); // the book's leak: listed, but its hash is gone
        CounterStore.Update(db, new[] { new CounterIncrement("stale", 2, now - 400 * 86400), new CounterIncrement("live", 1, now) });

        var result = new CounterCleaner().RunPass(db);

        var expected = new[] { "5:ghost" }.Concat(CounterStore.Precisions.Select(p => $"{p}:stale")).OrderBy(m => m, StringComparer.Ordinal);
        Assert.Equal(expected, result.RemovedCounters.OrderBy(m => m, StringComparer.Ordinal));
        Assert.Equal(CounterStore.Precisions.Select(p => $"{p}:live").OrderBy(m => m, StringComparer.Ordinal),
            db.SortedSetRangeByRank("known:").Select(m => (string)m!).OrderBy(m => m, StringComparer.Ordinal));
        Assert.False(db.KeyExists("count:86400:stale"));
    }

    [Fact]
    public void AnUpdateBetweenEmptyingAndForgettingKeepsTheCounterListed()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        var now = Now;
        CounterStore.Update(db, new[] { new CounterIncrement("race", 1, now - 400 * 86400) });
        var cleaner = new CounterCleaner
        {
            // A concurrent Update-RedisCounter slips in after the old samples are gone, before known: is touched.
            Confirm = (target, action) =>
            {
                if (action.StartsWith("Remove the empty counter", StringComparison.Ordinal))
                {
                    CounterStore.Update(db, new[] { new CounterIncrement("race", 5, now) });
                }
                return true;
            },
        };

        var result = cleaner.RunPass(db);

        Assert.Empty(result.RemovedCounters);
        foreach (var p in CounterStore.Precisions)
        {
            Assert.Equal(0, db.SortedSetScore("known:", $"{p}:race"));
            Assert.Equal(5, CounterStore.Read(db, "race", p).Sum(s => s.Count));
        }
    }

    [Fact]
    public void LaterPassesFollowTheBooksSchedule()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        var cleaner = new CounterCleaner();
        Assert.Equal(0, cleaner.RunPass(db).CountersChecked); // nothing listed yet
        var old = Now - 400 * 86400;
        CounterStore.Update(db, new[] { new CounterIncrement("sched", 1, old), new CounterIncrement("sched", 1, Now) });

        var pass1 = cleaner.RunPass(db);

        Assert.Equal(1, pass1.Pass);
        Assert.Equal(3, pass1.CountersChecked); // precisions 1, 5, 60 (max(1, p/60) = 1); 300 waits for pass 5
        foreach (var p in new[] { 1, 5, 60 }) Assert.Single(CounterStore.Read(db, "sched", p));
        foreach (var p in new[] { 300, 3600, 18000, 86400 }) Assert.Equal(2, CounterStore.Read(db, "sched", p).Count);
        for (var i = 2; i < 5; i++) cleaner.RunPass(db);
        Assert.Equal(4, cleaner.RunPass(db).CountersChecked); // pass 5: 1, 5, 60 and 300
        Assert.Single(CounterStore.Read(db, "sched", 300));
    }

    [Fact]
    public void ManyCountersAndTwoCleanersAtOnceLeaveNothingBehind()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        var old = Now - 400 * 86400;
        CounterStore.Update(db, Enumerable.Range(0, 400).Select(i => new CounterIncrement($"n{i}", 1, old)).ToList());
        Assert.Equal(2800, db.SortedSetLength("known:"));

        var results = Task.WhenAll(
            Task.Run(() => new CounterCleaner().RunPass(db)),
            Task.Run(() => new CounterCleaner().RunPass(db))).GetAwaiter().GetResult();

        Assert.Equal(0, db.SortedSetLength("known:"));
        Assert.Equal(2800, results.Sum(r => r.RemovedCounters.Count));
        Assert.Equal(2800, results.Sum(r => r.SamplesRemoved));
        Assert.Empty(server.AdminServer.Keys(pattern: "count:*"));
    }

    [Fact]
    public void MembersThatAreNotPrecisionColonNameAreSkippedWithAWarning()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        db.SortedSetAdd("known:", new SortedSetEntry[] { new("nonsense", 0), new("-5:x", 0), new("0:y", 0) });
        var warnings = new List<string>();

        var result = new CounterCleaner { Warn = warnings.Add }.RunPass(db);

        Assert.Equal(0, result.CountersChecked);
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'nonsense'") && w.Contains("known:"));
        Assert.Equal(3, db.SortedSetLength("known:"));
    }

    [Fact]
    public void SampleCountMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterCleaner(0));
}
