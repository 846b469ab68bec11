using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Removes empty counters from <c>known:</c> on a cluster, where no transaction can condition the removal on the hash
/// in another slot. Per counter: a script in the hash's slot checks that it is empty and, in the same step, sets a mark
/// <c>{count:p:NAME}:forgotten</c> (expires after <see cref="ClusterCounterStore.TokenSeconds"/>); then ZREM; then the
/// hash is read again and the entry put back if a sample arrived meanwhile (compensating re-check). An update that
/// writes a sample after the re-check finds the mark (its sample script reports it) and writes its entry again, so an
/// update whose ZADD came before the removal still leaves its counter listed: no counter with samples stays unlisted.
/// </summary>
internal static class ClusterCounterForget
{
    private const string MarkScript = """
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind == 'hash' and redis.call('HLEN', KEYS[1]) > 0 then return 0 end
        redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
        return 1
        """;

    /// <summary>The mark of a counter key the cleaner is forgetting (same slot).</summary>
    public static string MarkKey(string countKey) => ClusterKeys.Companion("", countKey, ":forgotten");

    /// <summary>
    /// Removes the members (<c>p:NAME</c>) whose hashes are empty (or not hashes) from <c>known:</c>; returns those removed
    /// and still empty. All members go at once in each of the four steps.
    /// </summary>
    public static async Task<List<string>> ForgetAsync(IDatabase db, IReadOnlyList<string> members)
    {
        var mux = db.Multiplexer;
        var marks = members.Select(m =>
        {
            var key = "count:" + m;
            var keys = new RedisKey[] { key, MarkKey(key) };
            return ClusterCounterStore.Retry(() => db.ScriptEvaluateAsync(MarkScript, keys, new RedisValue[] { ClusterCounterStore.TokenSeconds }), mux);
        }).ToList();
        var empty = new List<string>();
        for (var i = 0; i < members.Count; i++)
        {
            if ((long)await marks[i].ConfigureAwait(false) == 1) empty.Add(members[i]);
        }
        if (empty.Count == 0) return empty;
        var values = empty.Select(m => (RedisValue)m).ToArray();
        await ClusterCounterStore.Retry(() => db.SortedSetRemoveAsync(CounterStore.KnownKey, values), mux).ConfigureAwait(false);
        var lengths = empty.Select(m => ClusterCounterStore.Retry(() => Length(db, "count:" + m), mux)).ToList();
        var removed = new List<string>();
        var back = new List<SortedSetEntry>();
        for (var i = 0; i < empty.Count; i++)
        {
            if (await lengths[i].ConfigureAwait(false) == 0) removed.Add(empty[i]);
            else back.Add(new SortedSetEntry(empty[i], 0));
        }
        if (back.Count > 0)
        {
            var entries = back.ToArray();
            await ClusterCounterStore.Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, entries), mux).ConfigureAwait(false);
        }
        return removed;
    }

    // HLEN, with a key of another type counted as empty (it holds no samples).
    private static async Task<long> Length(IDatabase db, string key)
    {
        try
        {
            return await db.HashLengthAsync(key).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
        {
            return 0;
        }
    }
}
