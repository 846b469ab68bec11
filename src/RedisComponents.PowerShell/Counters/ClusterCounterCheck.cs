using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Connections;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// The cluster's stand-in for the standalone script's all-or-nothing per item: before anything of a batch is written,
/// one HMGET per <c>count:p:NAME</c> key of the batch (of the slots it would increment), all sent at once (one round
/// trip per node, in parallel), finds the segments (runs of items of one counter) that the server would refuse at any
/// precision — a key of another type (WRONGTYPE), a sample that is not an integer, or a total that would overflow a
/// 64-bit integer — taking the earlier segments of the batch as applied, as the standalone script does. Those segments
/// are left out of the batch entirely (no precision, no <c>known:</c> entry). A key changed between this read and the
/// writes is still caught by the per-key script, which then rejects that precision only.
/// </summary>
internal static class ClusterCounterCheck
{
    private const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private const string NotInteger = "ERR hash value is not an integer";
    private const string Overflow = "ERR increment or decrement would overflow";

    /// <summary>The segments the server would refuse, with the key and the reason; the others can be applied.</summary>
    public static async Task<Dictionary<CounterSegment, CounterRejection>> RefusedAsync(IDatabase db, IReadOnlyList<CounterSegment> segments)
    {
        var fields = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            foreach (var ((precision, slot), _) in segment.Totals)
            {
                var key = CounterStore.KeyFor(precision, segment.Name);
                if (!fields.TryGetValue(key, out var set)) fields[key] = set = new HashSet<long>();
                set.Add(slot);
            }
        }
        var reads = new Dictionary<string, (long[] Fields, Task<RedisValue[]> Values)>(StringComparer.Ordinal);
        foreach (var (key, set) in fields)
        {
            var asked = set.ToArray();
            var values = asked.Select(f => (RedisValue)f).ToArray();
            reads[key] = (asked, ClusterCounterStore.Retry(() => db.HashGetAsync(key, values), db.Multiplexer));
        }

        // Per key: null = wrong type; otherwise field -> stored value (null: not an integer), as the batch would leave it.
        var state = new Dictionary<string, Dictionary<long, long?>?>(StringComparer.Ordinal);
        foreach (var (key, (asked, values)) in reads)
        {
            try
            {
                var reply = await values.ConfigureAwait(false);
                var stored = new Dictionary<long, long?>(asked.Length);
                for (var i = 0; i < asked.Length; i++)
                {
                    stored[asked[i]] = reply[i].IsNull ? 0
                        : long.TryParse((string?)reply[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
                }
                state[key] = stored;
            }
            catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
            {
                state[key] = null;
            }
        }

        var refused = new Dictionary<CounterSegment, CounterRejection>();
        foreach (var segment in segments)
        {
            if (Problem(segment, state) is { } problem)
            {
                refused[segment] = new CounterRejection(segment.Name, problem.Key, segment.Items, segment.Hits, problem.Message == Overflow, problem.Message, segment.ItemIndices);
                continue;
            }
            foreach (var ((precision, slot), total) in segment.Totals)
            {
                var stored = state[CounterStore.KeyFor(precision, segment.Name)]!;
                stored[slot] = stored[slot]!.Value + total;
            }
        }
        return refused;
    }

    /// <summary>The first key (in precision order) that would refuse the segment, and the server's message for it.</summary>
    private static (string Key, string Message)? Problem(CounterSegment segment, Dictionary<string, Dictionary<long, long?>?> state)
    {
        foreach (var ((precision, slot), total) in segment.Totals.OrderBy(t => t.Key.Precision))
        {
            var key = CounterStore.KeyFor(precision, segment.Name);
            if (state[key] is not { } stored) return (key, WrongType);
            if (stored[slot] is not { } value) return (key, NotInteger);
            if (value > 0 && value > long.MaxValue - total) return (key, Overflow);
        }
        return null;
    }
}
