using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Connections;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// The cluster's stand-in for the standalone script's all-or-nothing per item: before any sample of a batch is written,
/// a read of every <c>count:p:NAME</c> key of the batch (the fields it would increment; one script per node chunk, all
/// sent at once: one round trip per node, in parallel) finds the segments (runs of items of one counter) that the server would refuse at any
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
        var state = await ReadAsync(db, fields.Select(f => (f.Key, f.Value.ToArray())).ToList()).ConfigureAwait(false);

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

    // ARGV: per key: the key, n, then n fields. Replies per key: 0 for a key of another type, else its HMGET values
    // ({} for a missing key); '!...' when a key is not on this node.
    private const string ReadScript = ClusterNodeChunks.Shebang + ",no-writes\n" + """
        local out, a = {}, 1
        while a <= #ARGV do
          local key, n = ARGV[a], tonumber(ARGV[a + 1])
          local r = redis.pcall('TYPE', key)
          if type(r) == 'table' and r.err then return '!' .. r.err end
          if r.ok == 'hash' then out[#out + 1] = redis.call('HMGET', key, unpack(ARGV, a + 2, a + 1 + n))
          elseif r.ok == 'none' then out[#out + 1] = {}
          else out[#out + 1] = 0 end
          a = a + 2 + n
        end
        return out
        """;

    /// <summary>
    /// Per key: null = wrong type; otherwise field -> stored value (0 when absent, null: not an integer). One script per
    /// node chunk, all sent at once; a chunk the node cannot serve whole (or Redis before 7.0) is read key by key (HMGET).
    /// </summary>
    private static async Task<Dictionary<string, Dictionary<long, long?>?>> ReadAsync(IDatabase db, List<(string Key, long[] Fields)> keys)
    {
        var chunks = ClusterNodeChunks.Supported(db.Multiplexer)
            ? ClusterNodeChunks.Of(db.Multiplexer, keys.Select(k => k.Key).ToList(), i => keys[i].Fields.Length)
            : new List<List<int>> { Enumerable.Range(0, keys.Count).ToList() };
        var direct = !ClusterNodeChunks.Supported(db.Multiplexer);
        var calls = chunks.Select(chunk =>
        {
            if (direct) return Task.FromResult<RedisResult>(null!);
            var first = new RedisKey[] { keys[chunk[0]].Key };
            var args = chunk.SelectMany(i => new RedisValue[] { keys[i].Key, keys[i].Fields.Length }.Concat(keys[i].Fields.Select(f => (RedisValue)f))).ToArray();
            return ClusterCounterStore.Retry(() => db.ScriptEvaluateAsync(ReadScript, first, args), db.Multiplexer);
        }).ToList();
        var state = new Dictionary<string, Dictionary<long, long?>?>(StringComparer.Ordinal);
        var single = new List<(int Key, Task<RedisValue[]> Values)>();
        for (var c = 0; c < chunks.Count; c++)
        {
            RedisResult? reply;
            try
            {
                reply = await calls[c].ConfigureAwait(false);
            }
            catch (Exception ex) when (ClusterNodeChunks.Unsupported(db.Multiplexer, ex))
            {
                reply = null;
            }
            if (reply is null || reply.Resp2Type != ResultType.Array)
            {
                foreach (var i in chunks[c])
                {
                    var values = keys[i].Fields.Select(f => (RedisValue)f).ToArray();
                    single.Add((i, ClusterCounterStore.Retry(() => db.HashGetAsync(keys[i].Key, values), db.Multiplexer)));
                }
                continue;
            }
            var perKey = (RedisResult[])reply!;
            for (var k = 0; k < chunks[c].Count; k++)
            {
                var (key, asked) = keys[chunks[c][k]];
                state[key] = perKey[k].Resp2Type == ResultType.Array ? Stored(asked, (RedisValue[])perKey[k]!) : null;
            }
        }
        foreach (var (i, values) in single)
        {
            try
            {
                state[keys[i].Key] = Stored(keys[i].Fields, await values.ConfigureAwait(false));
            }
            catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
            {
                state[keys[i].Key] = null;
            }
        }
        return state;
    }

    private static Dictionary<long, long?> Stored(long[] asked, RedisValue[] reply)
    {
        var stored = new Dictionary<long, long?>(asked.Length);
        for (var i = 0; i < asked.Length; i++)
        {
            stored[asked[i]] = i >= reply.Length || reply[i].IsNull ? 0
                : long.TryParse((string?)reply[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        return stored;
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
