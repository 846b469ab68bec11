using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Removes counters from <c>known:</c> on a cluster, where no transaction can condition the removal on the hash in
/// another slot. Per counter: a script in the hash's slot checks that it is empty (the cleaner) and, in the same step,
/// sets a mark <c>{count:p:NAME}:forgotten</c> to 0 (expires after <see cref="ClusterCounterStore.TokenSeconds"/>); then
/// ZREM; then a second look in the hash's slot puts the entry back if a sample arrived meanwhile (compensating re-check:
/// the hash is not empty; for a refused update's entries also a sample script counted the mark up). A sample script
/// that runs after the re-check finds the mark too and its update writes the entry again, so an update whose ZADD came
/// before the removal still leaves its counter listed: no counter with samples stays unlisted. An entry put back for a
/// sample that a concurrent refused item then took back stays until the cleaner finds the hash empty.
/// </summary>
internal static class ClusterCounterForget
{
    // KEYS[1] = count key, KEYS[2] = its mark; ARGV[1] = mark lifetime, ARGV[2] = '1' to mark also a hash with samples.
    private const string MarkScript = """
        if ARGV[2] ~= '1' and redis.call('TYPE', KEYS[1]).ok == 'hash' and redis.call('HLEN', KEYS[1]) > 0 then return 0 end
        redis.call('SET', KEYS[2], '0', 'EX', ARGV[1])
        return 1
        """;

    // The second look: 1 when the hash holds samples and, ARGV[1] = '1' (a refused update's own entries), a sample script
    // counted the mark up since (a sample that arrived meanwhile; one a refused item took back leaves the hash empty).
    private const string LookScript = """
        if redis.call('TYPE', KEYS[1]).ok ~= 'hash' or redis.call('HLEN', KEYS[1]) == 0 then return 0 end
        if ARGV[1] == '1' and tonumber(redis.call('GET', KEYS[2]) or '0') == 0 then return 0 end
        return 1
        """;

    /// <summary>The mark of a counter key that is being forgotten (same slot).</summary>
    public static string MarkKey(string countKey) => ClusterKeys.Companion("", countKey, ":forgotten");

    /// <summary>
    /// Removes the members (<c>p:NAME</c>) from <c>known:</c> whose hashes are empty (or not hashes), or with
    /// <paramref name="force"/> (entries a refused update wrote) all of them unless a sample arrives meanwhile; returns
    /// those removed. All members go at once in each of the three steps (a fourth puts entries back).
    /// </summary>
    public static async Task<List<string>> ForgetAsync(IDatabase db, IReadOnlyList<string> members, bool force = false)
    {
        var mux = db.Multiplexer;
        var flag = force ? "1" : "0";
        var marks = members.Select(m => Run(db, MarkScript, m, ClusterCounterStore.TokenSeconds, flag)).ToList();
        var marked = new List<string>();
        for (var i = 0; i < members.Count; i++)
        {
            if ((long)await marks[i].ConfigureAwait(false) == 1) marked.Add(members[i]);
        }
        if (marked.Count == 0) return marked;
        var values = marked.Select(m => (RedisValue)m).ToArray();
        await ClusterCounterStore.Retry(() => db.SortedSetRemoveAsync(CounterStore.KnownKey, values), mux).ConfigureAwait(false);
        var looks = marked.Select(m => Run(db, LookScript, m, flag)).ToList();
        var removed = new List<string>();
        var back = new List<SortedSetEntry>();
        for (var i = 0; i < marked.Count; i++)
        {
            if ((long)await looks[i].ConfigureAwait(false) == 0) removed.Add(marked[i]);
            else back.Add(new SortedSetEntry(marked[i], 0));
        }
        if (back.Count > 0)
        {
            var entries = back.ToArray();
            await ClusterCounterStore.Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, entries), mux).ConfigureAwait(false);
        }
        return removed;
    }

    private static Task<RedisResult> Run(IDatabase db, string script, string member, params RedisValue[] args)
    {
        var key = "count:" + member;
        var keys = new RedisKey[] { key, MarkKey(key) };
        return ClusterCounterStore.Retry(() => db.ScriptEvaluateAsync(script, keys, args), db.Multiplexer);
    }
}
