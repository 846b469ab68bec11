using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Counter updates on a Redis Cluster. The book's keys stay byte for byte (<c>known:</c>, <c>count:p:NAME</c>), so the
/// book's Python reads them; they live in different slots, so the book's one MULTI becomes two steps per batch, each
/// step's calls sent at once (one round trip per node, the nodes in parallel):
/// <list type="number">
/// <item>one script on <c>known:</c> adds every counter of the batch (before any sample exists) and tells which entries
/// are new;</item>
/// <item>the samples (<see cref="ClusterCounterApply"/>, one script per node chunk guarded by a batch token: a resend
/// after a lost reply never counts twice), each key's share all or nothing.</item>
/// </list>
/// Only when a key refused an item (wrong type, not an integer, overflow) a third step makes the item all or nothing, as
/// the standalone script: its precisions that went in are taken back (<see cref="ClusterCounterApply.UndoAsync"/>) and
/// the <c>known:</c> entries it added removed (<see cref="ClusterCounterForget"/>). A counter the cleaner was forgetting
/// meanwhile (its mark is present) gets its <c>known:</c> entry written again after its samples, in that third step.
/// </summary>
internal static class ClusterCounterStore
{
    /// <summary>How long a batch's tokens (and the cleaner's marks) live: far longer than any retry of that batch.</summary>
    public const int TokenSeconds = 600;
    private const int Attempts = 6;

    // KEYS[1] = known:; ARGV = the members. Adds them (score 0) and replies the 1-based positions of those not listed before.
    private const string ListScript = """
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind ~= 'zset' and kind ~= 'none' then return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value') end
        local new = {}
        for from = 1, #ARGV, 500 do
          local to = math.min(from + 499, #ARGV)
          local scores = redis.call('ZMSCORE', KEYS[1], unpack(ARGV, from, to))
          local add = {}
          for i = from, to do
            if not scores[i - from + 1] then
              new[#new + 1] = i
              add[#add + 1] = 0
              add[#add + 1] = ARGV[i]
            end
          end
          if #add > 0 then redis.call('ZADD', KEYS[1], unpack(add)) end
        end
        return new
        """;

    /// <summary>The token key of one script of a batch (same slot as the counter's key).</summary>
    public static string TokenKey(string countKey, string batch, string part) =>
        ClusterKeys.Companion("", countKey, ":batch:" + batch + ":" + part);

    /// <summary>
    /// Applies a batch. <paramref name="batch"/> names it (a new id when null): sending the same batch again, as
    /// the retries here do after a lost reply, applies nothing twice. <paramref name="perKey"/> sends one script per
    /// key instead of one per node chunk (what Redis before 7.0 gets).
    /// </summary>
    public static async Task<IReadOnlyList<CounterRejection>> UpdateAsync(IDatabase db, IReadOnlyList<CounterIncrement> increments, string? batch = null,
        bool perKey = false)
    {
        if (increments.Count == 0) return Array.Empty<CounterRejection>();
        var segments = CounterFold.Of(increments).Segments;
        var members = Members(segments);
        var args = members.Select(m => (RedisValue)m).ToArray();
        RedisResult added;
        try
        {
            added = await Retry(() => db.ScriptEvaluateAsync(ListScript, new RedisKey[] { CounterStore.KnownKey }, args), db.Multiplexer).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
        {
            return segments.Select(s => new CounterRejection(s.Name, CounterStore.KnownKey, s.Items, s.Hits, false, ex.Message, s.ItemIndices)).ToList();
        }

        batch ??= Guid.NewGuid().ToString("N");
        var parts = ClusterCounterApply.PartsOf(segments);
        var results = await ClusterCounterApply.ApplyAsync(db, parts, batch, perKey).ConfigureAwait(false);
        var rejected = new Dictionary<CounterSegment, CounterRejection>();
        for (var i = 0; i < parts.Count; i++)
        {
            var (segment, key, _) = parts[i];
            if (results[i].Length <= 1 || rejected.ContainsKey(segment)) continue;
            rejected[segment] = new CounterRejection(segment.Name, key, segment.Items, segment.Hits,
                results[i].Contains("overflow", StringComparison.OrdinalIgnoreCase), results[i], segment.ItemIndices);
        }
        var relist = parts.Where((p, i) => results[i] == ClusterCounterApply.Relist && !rejected.ContainsKey(p.Segment))
            .Select(p => new SortedSetEntry(p.Key["count:".Length..], 0)).ToArray();
        var last = new List<Task>();
        if (relist.Length > 0) last.Add(Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, relist), db.Multiplexer));
        if (rejected.Count > 0)
        {
            last.Add(ClusterCounterApply.UndoAsync(db, parts.Where((p, i) => rejected.ContainsKey(p.Segment) && results[i].Length <= 1), batch));
            // Entries only refused items asked for and that were not listed before: taken back.
            var kept = Members(segments.Where(s => !rejected.ContainsKey(s))).ToHashSet(StringComparer.Ordinal);
            var refused = Members(rejected.Keys).ToHashSet(StringComparer.Ordinal);
            var unlist = ((RedisResult[])added!).Select(r => members[(int)r - 1]).Where(m => refused.Contains(m) && !kept.Contains(m)).ToList();
            if (unlist.Count > 0) last.Add(ClusterCounterForget.ForgetAsync(db, unlist, force: true));
        }
        await Task.WhenAll(last).ConfigureAwait(false);
        return rejected.Values.ToList();
    }

    private static List<string> Members(IEnumerable<CounterSegment> segments) =>
        segments.SelectMany(s => s.Totals.Keys.Select(k => CounterStore.MemberFor(k.Precision, s.Name))).Distinct(StringComparer.Ordinal).ToList();

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
