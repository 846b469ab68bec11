using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Book 5.2.2 <c>update_stats</c> / <c>get_stats</c>: <c>stats:CONTEXT:TYPE</c> is a sorted set whose
/// members <c>min</c>, <c>max</c>, <c>count</c>, <c>sum</c>, <c>sumsq</c> hold the statistics of the
/// current UTC hour, rotated to <c>...:last</c> like the common log (<see cref="HourlyRotation"/>).
/// </summary>
internal static class StatisticStore
{
    public static string KeyFor(string context, string type) => $"stats:{context}:{type}";

    /// <summary>
    /// Folds a batch of values into the statistics in one guarded transaction: count += n, sum += Σv,
    /// sumsq += Σv², min/max with the batch's extremes. ZADD LT/GT (Redis 6.2+) replaces the book's two
    /// ZUNIONSTOREs over temporary keys with the same result. Returns the statistics right after the
    /// write, read in the same transaction.
    /// </summary>
    /// <remarks>
    /// <paramref name="at"/> is when the values arrived (default now): the hour they count in. The keys the
    /// write touches (<c>stats:C:T</c> and <c>:last</c> sorted sets, <c>:start</c> and <c>:pstart</c>
    /// strings) are type-checked and guarded in the transaction, so a wrong-typed one applies nothing.
    /// </remarks>
    /// <exception cref="TimeoutException">Other writers kept rotating or creating the hour for the whole timeout.</exception>
    /// <exception cref="RedisServerException">A key has the wrong type (the message starts <c>WRONGTYPE 'KEY'</c>); nothing was written.</exception>
    public static Statistic Update(IDatabase db, string context, string type, IReadOnlyList<double> values, TimeSpan timeout, CancellationToken cancel = default,
        DateTimeOffset? at = null, bool cluster = false)
    {
        if (cluster) return ClusterRotation.Wait(UpdateClusterAsync(db, context, type, values, timeout, cancel, at ?? ModuleClock.UtcNow, DateTime.UtcNow), cancel);
        var (min, max, sum, sumsq) = Fold(values);
        var keys = KeysFor(context, type, cluster);
        var destination = keys.Destination;
        var (pending, state, start) = HourlyRotation.Execute(db, keys, tran =>
        {
            var writes = new List<Task>
            {
                tran.SortedSetAddAsync(destination, "min", min, SortedSetWhen.LessThan),
                tran.SortedSetAddAsync(destination, "max", max, SortedSetWhen.GreaterThan),
                tran.SortedSetIncrementAsync(destination, "count", values.Count),
                tran.SortedSetIncrementAsync(destination, "sum", sum),
                tran.SortedSetIncrementAsync(destination, "sumsq", sumsq),
            };
            return (writes, tran.SortedSetRangeByRankWithScoresAsync(destination), tran.StringGetAsync(keys.Start));
        }, timeout, cancel, at, Typed(keys));
        RedisTasks.AwaitAll(db, pending);
        return Statistic.From(context, type, db.Wait(state), (string?)db.Wait(start), previous: false, destination)!;
    }

    /// <summary>
    /// <see cref="Update"/> on a cluster without waiting: one script (<see cref="ClusterStatisticStore"/>), so a batch's
    /// statistics are all sent at once. Resends stop <paramref name="timeout"/> after <paramref name="started"/>.
    /// </summary>
    public static Task<Statistic> UpdateClusterAsync(IDatabase db, string context, string type, IReadOnlyList<double> values, TimeSpan timeout, CancellationToken cancel,
        DateTimeOffset at, DateTime started)
    {
        var (min, max, sum, sumsq) = Fold(values);
        return ClusterStatisticStore.UpdateAsync(db, context, type, values.Count, min, max, sum, sumsq, at, started, timeout, cancel);
    }

    private static (double Min, double Max, double Sum, double SumSq) Fold(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values to record.", nameof(values));
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("Statistics values must be finite numbers.", nameof(values));
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sumsq = 0;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
            sumsq += value * value;
        }
        return (min, max, sum, sumsq);
    }

    /// <summary>The keys one update writes and the type each must have (or be missing).</summary>
    private static (string Key, RedisType Type)[] Typed(RotationKeys keys) => new[]
    {
        (keys.Destination, RedisType.SortedSet),
        (keys.Last, RedisType.SortedSet),
        (keys.PreviousStart, RedisType.String),
    };

    /// <summary>
    /// The rotation's keys: the book's <c>stats:C:T</c>, <c>:start</c>, <c>:last</c>, <c>:pstart</c>; on a cluster
    /// <c>stats:C:T</c> and the companions <c>{stats:C:T}:start</c>, <c>{stats:C:T}:last</c>, <c>{stats:C:T}:pstart</c> (one slot).
    /// </summary>
    public static RotationKeys KeysFor(string context, string type, bool cluster) => RotationKeys.For(KeyFor(context, type), cluster);

    /// <summary>The key a type check named (<c>WRONGTYPE 'KEY' ...</c>), so an error names the very key to fix.</summary>
    public static string? WrongKey(Exception ex)
    {
        if (ex is not RedisServerException || !ex.Message.StartsWith("WRONGTYPE '", StringComparison.Ordinal)) return null;
        var end = ex.Message.IndexOf('\'', 11);
        return end > 11 ? ex.Message.Substring(11, end - 11) : null;
    }

    /// <summary>The statistics of the current hour (or the previous one); null when none were recorded.</summary>
    public static Statistic? Read(IDatabase db, string context, string type, bool previous, bool cluster = false)
    {
        var keys = KeysFor(context, type, cluster);
        var key = previous ? keys.Last : keys.Destination;
        var batch = db.CreateBatch();
        var entries = batch.SortedSetRangeByRankWithScoresAsync(key);
        var start = batch.StringGetAsync(previous ? keys.PreviousStart : keys.Start);
        batch.Execute();
        return Statistic.From(context, type, db.Wait(entries), (string?)db.Wait(start), previous, key);
    }
}
