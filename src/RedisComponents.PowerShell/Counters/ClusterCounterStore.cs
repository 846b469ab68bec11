using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Counter updates on a Redis Cluster. The book's keys stay byte for byte (<c>known:</c>, <c>count:p:NAME</c>), so the
/// book's Python reads them; they live in different slots, so the book's one MULTI becomes, per batch:
/// <list type="number">
/// <item>one HMGET per counter key of the batch (<see cref="ClusterCounterCheck"/>): the items the server would refuse at
/// any precision (wrong type, not an integer, overflow) are left out of the batch, all their precisions and their
/// <c>known:</c> entries, as the standalone script rejects them;</item>
/// <item>ZADD <c>known:</c> of every counter of the batch (before any sample exists: the cleaner never finds a sample without its entry);</item>
/// <item>per counter segment and precision one script on <c>count:p:NAME</c> applying that key's increments all or nothing,
/// guarded by a token <c>{count:p:NAME}:batch:ID</c> in the same slot: a retry of a script whose reply was lost (timeout,
/// failover, TRYAGAIN, CLUSTERDOWN) never counts twice. All scripts are sent at once, routed per slot;</item>
/// <item>ZADD <c>known:</c> again, which restores an entry a concurrent cleaner removed between step 1 and the samples.</item>
/// </list>
/// </summary>
internal static class ClusterCounterStore
{
    /// <summary>How long a batch's tokens live: far longer than any retry of that batch.</summary>
    public const int TokenSeconds = 600;
    private const int Attempts = 6;

    // KEYS[1] = count:p:NAME, KEYS[2] = the batch token; ARGV[1] = token lifetime, then (slot, total) pairs.
    private const string Script = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return '' end
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind ~= 'hash' and kind ~= 'none' then return 'WRONGTYPE Operation against a key holding the wrong kind of value' end
        for i = 2, #ARGV, 2 do
          local r = redis.pcall('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
          if type(r) == 'table' and r.err then
            for j = 2, i - 2, 2 do
              if redis.call('HINCRBY', KEYS[1], ARGV[j], '-' .. ARGV[j + 1]) == 0 then redis.call('HDEL', KEYS[1], ARGV[j]) end
            end
            return r.err
          end
        end
        redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
        return ''
        """;

    /// <summary>The token key of one script of a batch (same slot as the counter's key).</summary>
    public static string TokenKey(string countKey, string batch, int part) =>
        ClusterKeys.Companion("", countKey, ":batch:" + batch + ":" + part.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Applies a batch. <paramref name="batch"/> names it (a new id when null): sending the same batch again, as
    /// the retries here do after a lost reply, applies nothing twice.
    /// </summary>
    public static async Task<IReadOnlyList<CounterRejection>> UpdateAsync(IDatabase db, IReadOnlyList<CounterIncrement> increments, string? batch = null)
    {
        if (increments.Count == 0) return Array.Empty<CounterRejection>();
        var all = CounterFold.Of(increments).Segments;
        var rejected = await ClusterCounterCheck.RefusedAsync(db, all).ConfigureAwait(false);
        var segments = all.Where(s => !rejected.ContainsKey(s)).ToList();
        if (segments.Count == 0) return rejected.Values.ToList();
        var members = segments.SelectMany(s => s.Totals.Keys.Select(k => CounterStore.MemberFor(k.Precision, s.Name))).Distinct(StringComparer.Ordinal)
            .Select(m => new SortedSetEntry(m, 0)).ToArray();
        try
        {
            await Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, members), db.Multiplexer).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
        {
            return rejected.Values.Concat(segments.Select(s => new CounterRejection(s.Name, CounterStore.KnownKey, s.Items, s.Hits, false, ex.Message, s.ItemIndices))).ToList();
        }

        batch ??= Guid.NewGuid().ToString("N");
        var calls = new List<(CounterSegment Segment, string Key, Task<RedisResult> Reply)>();
        var part = 0;
        foreach (var segment in segments)
        {
            foreach (var precision in segment.Totals.GroupBy(t => t.Key.Precision))
            {
                var key = CounterStore.KeyFor(precision.Key, segment.Name);
                var args = new List<RedisValue> { TokenSeconds };
                foreach (var ((_, slot), total) in precision)
                {
                    args.Add(slot);
                    args.Add(total);
                }
                var keys = new RedisKey[] { key, TokenKey(key, batch, part++) };
                var values = args.ToArray();
                calls.Add((segment, key, Retry(() => db.ScriptEvaluateAsync(Script, keys, values), db.Multiplexer)));
            }
        }

        foreach (var (segment, key, reply) in calls)
        {
            var error = (string?)await reply.ConfigureAwait(false);
            if (string.IsNullOrEmpty(error) || rejected.ContainsKey(segment)) continue;
            rejected[segment] = new CounterRejection(segment.Name, key, segment.Items, segment.Hits,
                error.Contains("overflow", StringComparison.OrdinalIgnoreCase), error, segment.ItemIndices);
        }
        await Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, members), db.Multiplexer).ConfigureAwait(false);
        return rejected.Values.ToList();
    }

    /// <summary>
    /// Runs a command again while the cluster answers that it cannot serve it yet (TRYAGAIN during a slot
    /// migration, CLUSTERDOWN during a failover) or the reply was lost; other failures (and the last one) are thrown.
    /// <paramref name="again"/> (failure, attempt) replaces that rule (e.g. only "nothing applied" and within a deadline).
    /// </summary>
    internal static async Task<T> Retry<T>(Func<Task<T>> send, IConnectionMultiplexer? mux = null, Func<Exception, int, bool>? again = null,
        System.Threading.CancellationToken cancel = default)
    {
        again ??= (ex, attempt) => attempt < Attempts && ClusterFaults.IsTransient(ex);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send().ConfigureAwait(false);
            }
            catch (Exception ex) when (again(ex, attempt))
            {
                if (ClusterFaults.IsStaleSlotMap(ex) && mux is not null) await ClusterFaults.RefreshSlotMapAsync(mux).ConfigureAwait(false);
                await Task.Delay(100 * (1 << Math.Min(attempt - 1, 4)), cancel).ConfigureAwait(false);
            }
        }
    }
}
