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
/// book's Python reads them; they live in different slots, so the book's one MULTI becomes three steps per batch, each
/// step's calls sent at once (one round trip per node, the nodes in parallel), each call doing a node's share of keys:
/// <list type="number">
/// <item>the check (<see cref="ClusterCounterCheck"/>, one read script per node chunk): the items the server would refuse
/// at any precision (wrong type, not an integer, overflow) are left out of the batch, all their precisions and their
/// <c>known:</c> entries, as the standalone script rejects them;</item>
/// <item>one ZADD <c>known:</c> of the batch's other counters (before any of their samples exists);</item>
/// <item>the samples (<see cref="ClusterCounterApply"/>, one script per node chunk guarded by a batch token: a resend
/// after a lost reply never counts twice).</item>
/// </list>
/// A counter the cleaner was forgetting meanwhile (its mark is present) gets its <c>known:</c> entry written again
/// after its samples, a third step only then.
/// </summary>
internal static class ClusterCounterStore
{
    /// <summary>How long a batch's tokens (and the cleaner's marks) live: far longer than any retry of that batch.</summary>
    public const int TokenSeconds = 600;
    private const int Attempts = 6;

    /// <summary>The token key of one script of a batch (same slot as the counter's key).</summary>
    public static string TokenKey(string countKey, string batch, int part) =>
        ClusterKeys.Companion("", countKey, ":batch:" + batch + ":" + part.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Applies a batch. <paramref name="batch"/> names it (a new id when null): sending the same batch again, as
    /// the retries here do after a lost reply, applies nothing twice. <paramref name="perKey"/> sends one script per
    /// key instead of one per node chunk (what Redis before 7.0 gets).
    /// </summary>
    public static async Task<IReadOnlyList<CounterRejection>> UpdateAsync(IDatabase db, IReadOnlyList<CounterIncrement> increments, string? batch = null,
        bool perKey = false)
    {
        if (increments.Count == 0) return Array.Empty<CounterRejection>();
        var all = CounterFold.Of(increments).Segments;
        var rejected = await ClusterCounterCheck.RefusedAsync(db, all).ConfigureAwait(false);
        var segments = all.Where(s => !rejected.ContainsKey(s)).ToList();
        if (segments.Count == 0) return rejected.Values.ToList();
        var members = Members(segments).Select(m => new SortedSetEntry(m, 0)).ToArray();
        try
        {
            await Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, members), db.Multiplexer).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
        {
            return rejected.Values.Concat(segments.Select(s => new CounterRejection(s.Name, CounterStore.KnownKey, s.Items, s.Hits, false, ex.Message, s.ItemIndices))).ToList();
        }

        var parts = ClusterCounterApply.PartsOf(segments);
        var results = await ClusterCounterApply.ApplyAsync(db, parts, batch ?? Guid.NewGuid().ToString("N"), perKey).ConfigureAwait(false);
        var relist = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Count; i++)
        {
            var (segment, key, _) = parts[i];
            if (results[i] == ClusterCounterApply.Relist) relist.Add(key["count:".Length..]);
            if (results[i].Length <= 1 || rejected.ContainsKey(segment)) continue;
            rejected[segment] = new CounterRejection(segment.Name, key, segment.Items, segment.Hits,
                results[i].Contains("overflow", StringComparison.OrdinalIgnoreCase), results[i], segment.ItemIndices);
        }
        if (relist.Count > 0)
        {
            var entries = relist.Select(m => new SortedSetEntry(m, 0)).ToArray();
            await Retry(() => db.SortedSetAddAsync(CounterStore.KnownKey, entries), db.Multiplexer).ConfigureAwait(false);
        }
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
