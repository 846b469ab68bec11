using System;
using System.Collections.Generic;
using System.Linq;
using RedisComponents.Counters;
using StackExchange.Redis;

namespace RedisComponents.Bench;

/// <summary>
/// P6: Update-RedisCounter with 100k names piped, against the book's update_counter commands (ZADD known: +
/// HINCRBY per precision) sent by raw StackExchange.Redis in transactions of 1000 names: from C# in the
/// same process, and from a PowerShell pipeline (which pays the same per-item pipeline cost). Also
/// Update-RedisStatistic with 100k values piped against the book's update_stats commands batched the same way.
/// </summary>
internal sealed class P6Counters : IScenario
{
    private const int Batch = 1000;

    public string Id => "P6";
    public string Title => "Update-RedisCounter / Update-RedisStatistic piped vs raw StackExchange.Redis batches";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var count = context.Scale(100_000);
        var ps = context.NewHost();
        var db = context.Raw.GetDatabase();
        var names = Enumerable.Range(0, count).Select(i => $"page-{i % 1000}").ToArray();
        var values = Enumerable.Range(0, count).Select(i => (double)(i % 977)).ToArray();
        var precisions = CounterStore.Precisions.ToArray();
        var vars = new Dictionary<string, object?> { ["names"] = names, ["values"] = values, ["db"] = db, ["batch"] = Batch, ["precisions"] = precisions, ["none"] = CommandFlags.None };

        var ours = Measure.Median(() => ps.Run("$names | Update-RedisCounter -Component bench", vars).ThrowIfFailed(), runs: 3);
        var csRaw = Measure.Median(() =>
        {
            foreach (var chunk in names.Chunk(Batch))
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var t = db.CreateTransaction();
                foreach (var name in chunk)
                {
                    foreach (var p in precisions)
                    {
                        _ = t.SortedSetAddAsync("known:", $"{p}:cs-{name}", 0);
                        _ = t.HashIncrementAsync($"count:{p}:cs-{name}", now / p * p, 1);
                    }
                }
                t.Execute();
            }
        }, runs: 3);
        var csSame = Measure.Median(() =>
        {
            // Exactly the module's transactions: one ZADD of the batch's members, one HINCRBY per counter and slot.
            foreach (var chunk in names.Chunk(Batch))
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var t = db.CreateTransaction();
                var distinct = chunk.Distinct().ToArray();
                _ = t.SortedSetAddAsync("known:", distinct.SelectMany(name => precisions.Select(p => new SortedSetEntry($"{p}:same-{name}", 0))).ToArray());
                foreach (var name in distinct)
                {
                    var hits = chunk.Count(x => x == name);
                    foreach (var p in precisions) _ = t.HashIncrementAsync($"count:{p}:same-{name}", now / p * p, hits);
                }
                t.Execute();
            }
        }, runs: 3);
        var psRaw = Measure.Median(() => ps.Run("""
            $names | & {
                begin { $t = $db.CreateTransaction($null); $n = 0 }
                process {
                    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
                    foreach ($p in $precisions) {
                        $null = $t.SortedSetAddAsync('known:', "${p}:ps-$_", 0, $none)
                        $null = $t.HashIncrementAsync("count:${p}:ps-$_", [long][Math]::Floor($now / $p) * $p, 1, $none)
                    }
                    if (++$n -ge $batch) { $null = $t.Execute($none); $t = $db.CreateTransaction($null); $n = 0 }
                }
                end { if ($n) { $null = $t.Execute($none) } }
            }
            """, vars).ThrowIfFailed(), runs: 3);
        Check(db, 4 * count, "page-1", "cs-page-1", "same-page-1", "ps-page-1");

        var rate = count / ours.TotalSeconds;
        var n = $"{count / 1000}k";
        yield return Row($"{n} names piped into Update-RedisCounter vs C# raw SE.Redis, book's ZADD+HINCRBY ×7, {Batch} names/MULTI", rate, count / csRaw.TotalSeconds);
        yield return Row($"{n} names piped into Update-RedisCounter vs C# raw SE.Redis sending the module's own transactions", rate, count / csSame.TotalSeconds);
        yield return Row($"{n} names piped into Update-RedisCounter vs PowerShell pipeline + raw SE.Redis, same commands", rate, count / psRaw.TotalSeconds);

        var stats = Measure.Median(() => ps.Run("$values | Update-RedisStatistic -Component bench -Context p6 -Type Value", vars).ThrowIfFailed(), runs: 3);
        var statsRaw = Measure.Median(() =>
        {
            // The book's update_stats per value (ZUNIONSTORE MIN/MAX over temporary keys), values batched
            // per transaction and guarded on the start key like the module; the rotation itself is not needed here.
            foreach (var chunk in values.Chunk(Batch))
            {
                var t = db.CreateTransaction();
                t.AddCondition(Condition.KeyNotExists("stats:p6cs:Value:start-guard"));
                foreach (var v in chunk)
                {
                    var (k1, k2) = ((RedisKey)Guid.NewGuid().ToString(), (RedisKey)Guid.NewGuid().ToString());
                    _ = t.SortedSetAddAsync(k1, "min", v);
                    _ = t.SortedSetAddAsync(k2, "max", v);
                    _ = t.SortedSetCombineAndStoreAsync(SetOperation.Union, "stats:p6cs:Value", new RedisKey[] { "stats:p6cs:Value", k1 }, aggregate: Aggregate.Min);
                    _ = t.SortedSetCombineAndStoreAsync(SetOperation.Union, "stats:p6cs:Value", new RedisKey[] { "stats:p6cs:Value", k2 }, aggregate: Aggregate.Max);
                    _ = t.KeyDeleteAsync(new[] { k1, k2 });
                    _ = t.SortedSetIncrementAsync("stats:p6cs:Value", "count", 1);
                    _ = t.SortedSetIncrementAsync("stats:p6cs:Value", "sum", v);
                    _ = t.SortedSetIncrementAsync("stats:p6cs:Value", "sumsq", v * v);
                }
                t.Execute();
            }
        }, runs: 3);
        if (db.SortedSetScore("stats:p6:Value", "count") != db.SortedSetScore("stats:p6cs:Value", "count"))
        {
            throw new InvalidOperationException("P6: the module and the baseline recorded different counts.");
        }
        yield return Row($"{n} values piped into Update-RedisStatistic vs C# raw SE.Redis, book's update_stats commands, {Batch} values/MULTI",
            count / stats.TotalSeconds, count / statsRaw.TotalSeconds);
    }

    private BenchRow Row(string measure, double ours, double baseline) =>
        new(Id, measure, Measure.PerSecond(ours), Measure.PerSecond(baseline), Measure.Ratio(ours / baseline), "≥ 0.70×", ours / baseline >= 0.7);

    /// <summary>Every run (warm-up + 3) of each variant must have counted the same hits.</summary>
    private static void Check(IDatabase db, long expectedTotal, params string[] counters)
    {
        foreach (var name in counters)
        {
            var total = db.HashGetAll($"count:86400:{name}").Sum(e => (long)e.Value) * 1000;
            if (total != expectedTotal) throw new InvalidOperationException($"P6: counter {name} holds {total / 1000} hits, expected {expectedTotal / 1000}.");
        }
    }
}
