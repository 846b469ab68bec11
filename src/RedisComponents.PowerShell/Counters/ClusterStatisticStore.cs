using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Statistics on a cluster: one short script per statistic and hour in the slot of <c>stats:C:T</c> (type checks of
/// the four rotation keys, rotation, ZADD LT/GT of min/max, ZINCRBY of count/sum/sumsq, and the result read back),
/// atomic as the book's transaction, without WATCH; a batch's scripts are sent at once.
/// </summary>
internal static class ClusterStatisticStore
{
    // KEYS: stats:C:T, {stats:C:T}:start, {stats:C:T}:last, {stats:C:T}:pstart. ARGV: hour, min, max, count, sum, sumsq.
    private const string Script = "local T = { 'zset', 'string', 'zset', 'string' }\n" + ClusterRotation.Prelude + """
        redis.call('ZADD', KEYS[1], 'LT', ARGV[2], 'min')
        redis.call('ZADD', KEYS[1], 'GT', ARGV[3], 'max')
        redis.call('ZINCRBY', KEYS[1], ARGV[4], 'count')
        redis.call('ZINCRBY', KEYS[1], ARGV[5], 'sum')
        redis.call('ZINCRBY', KEYS[1], ARGV[6], 'sumsq')
        return { redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'), redis.call('GET', KEYS[2]) }
        """;

    /// <summary>
    /// <see cref="StatisticStore.Update"/> on a cluster. <paramref name="started"/> is when the batch began: resends
    /// (TRYAGAIN, CLUSTERDOWN...) stop <paramref name="timeout"/> after it.
    /// </summary>
    /// <exception cref="RedisServerException">A key has the wrong type (<c>WRONGTYPE 'KEY' ...</c>); nothing was written.</exception>
    public static async Task<Statistic> UpdateAsync(IDatabase db, string context, string type, int count, double min, double max, double sum, double sumsq,
        DateTimeOffset at, DateTime started, TimeSpan timeout, CancellationToken cancel)
    {
        var keys = StatisticStore.KeysFor(context, type, cluster: true);
        var names = new RedisKey[] { keys.Destination, keys.Start, keys.Last, keys.PreviousStart };
        var args = new RedisValue[] { HourlyRotation.HourStart(at), min, max, count, sum, sumsq };
        var reply = (RedisResult[])(await ClusterRotation.EvaluateAsync(db, Script, names, args, started, timeout, cancel).ConfigureAwait(false))!;
        var flat = (RedisValue[])reply[0]!;
        var entries = new List<SortedSetEntry>(flat.Length / 2);
        for (var i = 0; i + 1 < flat.Length; i += 2) entries.Add(new SortedSetEntry(flat[i], double.Parse((string)flat[i + 1]!, CultureInfo.InvariantCulture)));
        return Statistic.From(context, type, entries.ToArray(), (string?)reply[1], previous: false, keys.Destination)!;
    }
}
