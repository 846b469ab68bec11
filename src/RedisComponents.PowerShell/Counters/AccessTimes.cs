using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Book 5.2.3 <c>access_time</c>: a measured duration goes to the statistics <c>stats:CONTEXT:AccessTime</c>,
/// then the context's average to <c>slowest:AccessTime</c> (a sorted set trimmed to the 100 slowest).
/// </summary>
internal static class AccessTimes
{
    public const string Type = "AccessTime";
    public const string SlowestKey = "slowest:AccessTime";
    public const int Kept = 100;

    /// <summary>
    /// Records one duration. <c>slowest:AccessTime</c> must be a sorted set (or missing): it is checked
    /// first, so a wrong-typed one records nothing (neither the statistics nor the ranking).
    /// </summary>
    /// <exception cref="RedisServerException">A key has the wrong type; nothing was written.</exception>
    public static Statistic Record(IDatabase db, string context, double seconds, TimeSpan timeout, CancellationToken cancel = default, bool cluster = false)
    {
        var type = db.KeyType(SlowestKey);
        if (type is not (RedisType.None or RedisType.SortedSet))
        {
            throw new RedisServerException($"WRONGTYPE '{SlowestKey}' holds a {type.ToString().ToLowerInvariant()}, not a sorted set; nothing was recorded");
        }
        var stats = StatisticStore.Update(db, context, Type, new[] { seconds }, timeout, cancel, cluster: cluster);
        var tran = db.CreateTransaction();
        var pending = new Task[]
        {
            tran.SortedSetAddAsync(SlowestKey, context, stats.Average),
            tran.SortedSetRemoveRangeByRankAsync(SlowestKey, 0, -(Kept + 1)),
        };
        tran.Execute();
        RedisTasks.AwaitAll(db, pending);
        return stats;
    }

    /// <summary>The contexts by average access time, slowest first.</summary>
    public static IReadOnlyList<AccessTimeEntry> Slowest(IDatabase db, int? top)
    {
        var entries = db.SortedSetRangeByRankWithScores(SlowestKey, 0, top is int n ? n - 1 : -1, Order.Descending);
        return entries.Select((e, i) => new AccessTimeEntry(i + 1, (string)e.Element!, e.Score)).ToList();
    }
}
