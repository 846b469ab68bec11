using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>Tests that move the module clock: hourly rotation of statistics and concurrent writers across it.</summary>
[Collection(ClockCollection.Name)]
public class ClockedCounterTests
{
    private static readonly DateTimeOffset TenThirty = new(2024, 5, 6, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void StatisticsRotateAtTheFirstWriteOfANewHour()
    {
        var clock = FakeClock.Install(TenThirty, out var restore);
        using (restore)
        {
            var server = TestRedis.Shared;
            using var ps = CounterHosts.WithComponent(server);
            var context = CounterHosts.Unique("rot");
            ps.Run("5, 6 | Update-RedisStatistic -Component app -Context $c -Type t", new() { ["c"] = context }).ThrowIfFailed();
            Assert.Equal("2024-05-06T10:00:00", (string?)server.Db().StringGet($"stats:{context}:t:start"));

            clock.Advance(TimeSpan.FromMinutes(35));
            ps.Run("7 | Update-RedisStatistic -Component app -Context $c -Type t", new() { ["c"] = context }).ThrowIfFailed();

            var db = server.Db();
            Assert.Equal("2024-05-06T11:00:00", (string?)db.StringGet($"stats:{context}:t:start"));
            Assert.Equal("2024-05-06T10:00:00", (string?)db.StringGet($"stats:{context}:t:pstart"));
            var current = ps.Run("Get-RedisStatistic -Component app -Context $c -Type t", new() { ["c"] = context }).ThrowIfFailed().Single<Statistic>();
            var previous = ps.Run("Get-RedisStatistic -Component app -Context $c -Type t -Previous", new() { ["c"] = context }).ThrowIfFailed().Single<Statistic>();
            Assert.Equal((1L, 7.0, 7.0, new DateTime(2024, 5, 6, 11, 0, 0, DateTimeKind.Utc)), (current.Count, current.Min, current.Max, current.Hour!.Value));
            Assert.Equal((2L, 5.0, 6.0, true, new DateTime(2024, 5, 6, 10, 0, 0, DateTimeKind.Utc)), (previous.Count, previous.Min, previous.Max, previous.Previous, previous.Hour!.Value));
            Assert.Equal($"stats:{context}:t:last", previous.Key);
        }
    }

    [Fact]
    public void ABatchCrossingAnHourBoundaryCountsEachValueInTheHourItArrived()
    {
        var clock = FakeClock.Install(TenThirty.AddMinutes(29), out var restore);
        using (restore)
        {
            var server = TestRedis.Shared;
            using var ps = CounterHosts.WithComponent(server);
            var context = CounterHosts.Unique("cross");
            // One pipeline, one batch: 1 and 2 arrive at 10:59, the clock moves, 30 and 40 arrive at 11:00:30.
            ps.Run("""
                & { 1; 2; $clock.Set($later); 30; 40 } | Update-RedisStatistic -Component app -Context $c -Type t
                Update-RedisStatistic -Component app -Context $c -Type t -Value 5, 6
                """, new() { ["c"] = context, ["clock"] = clock, ["later"] = TenThirty.AddMinutes(30.5) }).ThrowIfFailed();

            var db = server.Db();
            Assert.Equal("2024-05-06T11:00:00", (string?)db.StringGet($"stats:{context}:t:start"));
            Assert.Equal("2024-05-06T10:00:00", (string?)db.StringGet($"stats:{context}:t:pstart"));
            var previous = StatisticStoreTests.Scores(db, $"stats:{context}:t:last");
            var current = StatisticStoreTests.Scores(db, $"stats:{context}:t");
            Assert.Equal((2.0, 3.0, 1.0, 2.0), (previous["count"], previous["sum"], previous["min"], previous["max"]));
            Assert.Equal((4.0, 81.0, 5.0, 40.0), (current["count"], current["sum"], current["min"], current["max"]));
        }
    }

    [Fact]
    public void FourRunspacesTimesTenThousandAreExactAcrossAnHourBoundary()
    {
        const int Runspaces = 4, PerRunspace = 10_000, Half = PerRunspace / 2;
        var clock = FakeClock.Install(TenThirty.AddMinutes(29).AddSeconds(30), out var restore);
        using (restore)
        {
            using var server = TestRedis.StartOwned();
            // All runspaces finish the first half in the old hour; the barrier's post-phase action moves the clock on.
            using var barrier = new Barrier(Runspaces, _ => clock.Advance(TimeSpan.FromMinutes(30)));
            var hosts = Enumerable.Range(0, Runspaces).Select(_ => CounterHosts.WithComponent(server)).ToList();
            try
            {
                var runs = hosts.Select((ps, r) => Task.Run(() => ps.Run("""
                    $names[0..($half - 1)] | Update-RedisCounter -Component app
                    $values[0..($half - 1)] | Update-RedisStatistic -Component app -Context load -Type Value
                    if (-not $barrier.SignalAndWait(60000)) { throw 'barrier timed out' }
                    $names[$half..($names.Count - 1)] | Update-RedisCounter -Component app
                    $values[$half..($values.Count - 1)] | Update-RedisStatistic -Component app -Context load -Type Value
                    """, new()
                {
                    ["names"] = Enumerable.Range(0, PerRunspace).Select(i => $"c{i % 10}").ToArray(),
                    ["values"] = Enumerable.Range(1, PerRunspace).Select(k => (double)(r * PerRunspace + k)).ToArray(),
                    ["half"] = Half,
                    ["barrier"] = barrier,
                }))).ToArray();
                Assert.True(Task.WaitAll(runs, TimeSpan.FromSeconds(90)), "the runspaces did not finish within 90 s");
                foreach (var run in runs) run.Result.ThrowIfFailed();
            }
            finally
            {
                foreach (var ps in hosts) ps.Dispose();
            }

            var db = server.Db();
            foreach (var p in CounterStore.Precisions)
            {
                Assert.Equal(Runspaces * PerRunspace, Enumerable.Range(0, 10).Sum(i => CounterStore.Read(db, $"c{i}", p).Sum(s => s.Count)));
            }
            Assert.Equal(new long[] { 2_000, 2_000 }, CounterStore.Read(db, "c0", 3600).Select(s => s.Count)); // a tenth of each half, at 10:00 and 11:00
            Assert.Equal(70, db.SortedSetLength("known:"));

            var last = StatisticStore.Read(db, "load", "Value", previous: true)!;
            var current = StatisticStore.Read(db, "load", "Value", previous: false)!;
            double Sum(int from, int to) => Enumerable.Range(0, Runspaces).Sum(r => Enumerable.Range(from, to - from + 1).Sum(k => (double)(r * PerRunspace + k)));
            double SumSq(int from, int to) => Enumerable.Range(0, Runspaces).Sum(r => Enumerable.Range(from, to - from + 1).Sum(k => Math.Pow(r * PerRunspace + k, 2)));
            Assert.Equal((20_000L, Sum(1, Half), SumSq(1, Half), 1.0, 3.0 * PerRunspace + Half), (last.Count, last.Sum, last.SumOfSquares, last.Min, last.Max));
            Assert.Equal((20_000L, Sum(Half + 1, PerRunspace), SumSq(Half + 1, PerRunspace), Half + 1.0, 4.0 * PerRunspace),
                (current.Count, current.Sum, current.SumOfSquares, current.Min, current.Max));
            Assert.Equal(new DateTime(2024, 5, 6, 10, 0, 0, DateTimeKind.Utc), last.Hour);
            Assert.Equal(new DateTime(2024, 5, 6, 11, 0, 0, DateTimeKind.Utc), current.Hour);
        }
    }

    [Fact]
    public void CleanupCutoffFollowsTheModuleClock()
    {
        var clock = FakeClock.Install(TenThirty, out var restore);
        using (restore)
        {
            using var server = TestRedis.StartOwned();
            var db = server.Db();
            CounterStore.Update(db, new[] { new CounterIncrement("tick", 1, TenThirty.ToUnixTimeSeconds()) });
            clock.Advance(TimeSpan.FromSeconds(119));
            Assert.Equal(0, new CounterCleaner().RunPass(db).SamplesRemoved);
            clock.Advance(TimeSpan.FromSeconds(1));
            var result = new CounterCleaner().RunPass(db);
            Assert.Equal(1, result.SamplesRemoved); // precision 1: the slot is exactly 120 s old
            Assert.Equal(new[] { "1:tick" }, result.RemovedCounters);
        }
    }
}
