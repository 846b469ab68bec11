using System;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Counters;
using StackExchange.Redis;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The hourly rotation (<see cref="HourlyRotation"/>) on a cluster as one short script per log (or statistic) and
/// hour, instead of condition reads + WATCH/MULTI: the script runs atomically in the key's slot, so no guard and
/// no retry against other writers is needed, and a batch's scripts are all sent at once (each routed to its
/// slot's node, one round trip per node). Keys: KEYS[1] = DEST, KEYS[2] = its start key, KEYS[3] = <c>:last</c>,
/// KEYS[4] = <c>:pstart</c>, then the pattern's own keys; ARGV[1] = the hour the items arrived in.
/// </summary>
internal static class ClusterRotation
{
    /// <summary>
    /// Type checks (<c>T</c>: KEYS index → type the key must have or be missing; a wrong one is an error reply
    /// <c>WRONGTYPE 'KEY' holds a ..., not a ...</c> before anything is written), then the rotation: a missing
    /// start key is set; an older one moves DEST to <c>:last</c> (if DEST exists, as the book's RENAME inside
    /// MULTI) and the start key to <c>:pstart</c>. Items of an older hour than the start key count in the current one.
    /// </summary>
    public const string Prelude = """
        local names = { zset = 'sortedset' }
        for i, want in pairs(T) do
          local kind = redis.call('TYPE', KEYS[i]).ok
          if kind ~= 'none' and kind ~= want then
            return redis.error_reply("WRONGTYPE '" .. KEYS[i] .. "' holds a " .. (names[kind] or kind) .. ", not a " .. (names[want] or want) .. "; nothing was written for it")
          end
        end
        local started = redis.call('GET', KEYS[2])
        if not started then
          redis.call('SET', KEYS[2], ARGV[1])
        elseif started < ARGV[1] then
          if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[3]) end
          redis.call('RENAME', KEYS[2], KEYS[4])
          redis.call('SET', KEYS[2], ARGV[1])
        end

        """;

    /// <summary>
    /// Sends one rotation script, again (backing off) while the cluster answers that nothing was applied
    /// (TRYAGAIN, CLUSTERDOWN, MOVED/ASK not followed, a stale slot map) and <paramref name="timeout"/> has not
    /// passed since <paramref name="started"/>; the script's own errors (WRONGTYPE) and the last failure are thrown.
    /// </summary>
    public static Task<RedisResult> EvaluateAsync(IDatabase db, string script, RedisKey[] keys, RedisValue[] args, DateTime started, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = started + timeout;
        return ClusterCounterStore.Retry(() => db.ScriptEvaluateAsync(script, keys, args), db.Multiplexer,
            (ex, _) => ClusterFaults.NotApplied(ex) && DateTime.UtcNow < deadline, cancel);
    }

    /// <summary>Waits for a batch's replies, at most until <paramref name="cancel"/> (each reply is bounded by the client's timeout).</summary>
    public static T Wait<T>(Task<T> pending, CancellationToken cancel)
    {
        try
        {
            return pending.WaitAsync(cancel).GetAwaiter().GetResult();
        }
        catch (TaskCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancel);
        }
    }
}
