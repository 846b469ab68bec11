using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Splits the keys of a counter batch by the node that serves their slots (the client's slot map), in chunks of at
/// most <see cref="CounterFold.MaxSlots"/> (slot, total) pairs, so one script per chunk (flag
/// <c>allow-cross-slot-keys</c>, Redis 7) does a node's share: a batch costs about as many calls as on one server
/// (one round trip per node, the nodes in parallel) instead of one call per key. Each chunk's first key routes it.
/// </summary>
internal static class ClusterNodeChunks
{
    // The scripts' shebang; Redis before 7.0 refuses it (nothing applied), and the callers then go key by key.
    public const string Shebang = "#!lua flags=allow-cross-slot-keys";

    /// <summary>
    /// The chunks as lists of indices into <paramref name="keys"/>, in their order per node; <paramref name="weight"/>
    /// is what an item costs. Consecutive items of one key stay in one chunk.
    /// </summary>
    public static List<List<int>> Of(IConnectionMultiplexer mux, IReadOnlyList<string> keys, Func<int, int> weight)
    {
        var nodes = new Dictionary<string, (List<int> Open, int Weight)>(StringComparer.Ordinal);
        var bySlot = new Dictionary<int, string>();
        var keyNode = new Dictionary<string, string>(StringComparer.Ordinal);
        var chunks = new List<List<int>>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (!keyNode.TryGetValue(keys[i], out var node))
            {
                var slot = mux.HashSlot(keys[i]);
                if (!bySlot.TryGetValue(slot, out node)) bySlot[slot] = node = NodeOf(mux, keys[i]);
                keyNode[keys[i]] = node;
            }
            var w = weight(i);
            if (!nodes.TryGetValue(node, out var open) || (open.Weight > 0 && open.Weight + w > CounterFold.MaxSlots && keys[open.Open[^1]] != keys[i]))
            {
                open = (new List<int>(), 0);
                chunks.Add(open.Open);
            }
            open.Open.Add(i);
            nodes[node] = (open.Open, open.Weight + w);
        }
        return chunks;
    }

    // A slot the client has no node for yet goes into one chunk: its script then fails as not local, and the caller goes key by key.
    private static string NodeOf(IConnectionMultiplexer mux, string key)
    {
        try
        {
            return mux.GetServer((RedisKey)key).EndPoint?.ToString() ?? "";
        }
        catch (Exception ex) when (ex is RedisException or InvalidOperationException or NotSupportedException)
        {
            return "";
        }
    }

    // Connections whose servers refused the shebang (Redis before 7.0): their callers go key by key from then on.
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, object> KeyByKey = new();

    /// <summary>Whether the connection's servers took the node scripts so far (not known to be before 7.0).</summary>
    public static bool Supported(IConnectionMultiplexer mux) => !KeyByKey.TryGetValue(mux, out _);

    /// <summary>
    /// True when the server refused a script for its shebang (Redis before 7.0): nothing of it ran. Remembers that for
    /// the connection (<see cref="Supported"/>).
    /// </summary>
    public static bool Unsupported(IConnectionMultiplexer mux, Exception ex)
    {
        if (!IsUnsupported(ex)) return false;
        KeyByKey.AddOrUpdate(mux, true);
        return true;
    }

    /// <summary>True when the server refused a script for its shebang (Redis before 7.0): nothing of it ran.</summary>
    private static bool IsUnsupported(Exception ex) =>
        ex is RedisServerException && (ex.Message.Contains("compiling script", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("shebang", StringComparison.OrdinalIgnoreCase));
}
