using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>The increments of one counter segment at one precision: one key, its (slot, total) pairs.</summary>
internal sealed record CounterPart(CounterSegment Segment, string Key, IReadOnlyList<(long Slot, long Total)> Pairs);

/// <summary>
/// Writes the samples of a cluster batch: one script per node chunk (<see cref="ClusterNodeChunks"/>), all sent at once.
/// Each part (a counter key's increments of one segment) is applied all or nothing; <see cref="UndoAsync"/> takes parts
/// back when another precision of their item was refused. A token in the slot of the chunk's
/// first key, holding the chunk's reply, makes a resend after a lost reply (timeout, failover, TRYAGAIN, CLUSTERDOWN)
/// return that reply instead of counting twice. A chunk whose keys are not all on the node that got it (a slot
/// moved, Redis before 7.0) applies nothing and goes key by key, with the same script per key.
/// </summary>
internal static class ClusterCounterApply
{
    /// <summary>A part's reply when it was applied and the cleaner forgot its counter lately: write its <c>known:</c> entry again.</summary>
    public const string Relist = "+";

    // KEYS[1] = the first count key (routes the call), KEYS[2] = the token; ARGV[1] = token lifetime, then per part:
    // count key, its cleaner mark (ClusterCounterForget: counted up here), n, then n (slot, total) pairs. Replies the
    // parts' results, one line each: '' applied, '+' applied with the mark present, else the server's error; '!...' when
    // a key is not on this node (nothing applied: the marks are looked at first, and a count key found elsewhere while
    // applying, as in a slot migration, takes back what the call applied).
    private const string Body = """
        local done = redis.call('GET', KEYS[2])
        if done then return done end
        local marked, a = {}, 2
        while a <= #ARGV do
          local r = redis.pcall('EXISTS', ARGV[a + 1])
          if type(r) == 'table' and r.err then return '!' .. r.err end
          marked[#marked + 1] = r == 1
          a = a + 3 + 2 * tonumber(ARGV[a + 2])
        end
        local function undo(key, first, stop)
          for j = first, stop, 2 do
            if redis.call('HINCRBY', key, ARGV[j], '-' .. ARGV[j + 1]) == 0 then redis.call('HDEL', key, ARGV[j]) end
          end
        end
        local out, spans = {}, {}
        a = 2
        for k = 1, #marked do
          local key, first, last = ARGV[a], a + 3, a + 2 + 2 * tonumber(ARGV[a + 2])
          local result = ''
          for i = first, last, 2 do
            local r = redis.pcall('HINCRBY', key, ARGV[i], ARGV[i + 1])
            if type(r) == 'table' and r.err then
              undo(key, first, i - 2)
              if string.find(r.err, 'Script attempted', 1, true) then
                for s = 1, #spans do undo(spans[s][1], spans[s][2], spans[s][3]) end
                return '!' .. r.err
              end
              result = r.err
              break
            end
          end
          if result == '' then
            spans[#spans + 1] = {key, first, last}
            if marked[k] then
              redis.call('INCR', ARGV[a + 1])
              result = '+'
            end
          end
          out[k] = result
          a = last + 1
        end
        local reply = table.concat(out, '\n')
        redis.call('SET', KEYS[2], reply, 'EX', ARGV[1])
        return reply
        """;

    // KEYS[1] = count key, KEYS[2] = the undo's token; ARGV[1] = token lifetime, then the (slot, total) pairs applied.
    private const string UndoScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        for i = 2, #ARGV, 2 do
          if redis.call('HINCRBY', KEYS[1], ARGV[i], '-' .. ARGV[i + 1]) == 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
        end
        redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
        return 1
        """;

    private const string NodeScript = ClusterNodeChunks.Shebang + "\n" + Body;

    /// <summary>
    /// The results of <paramref name="parts"/> of <paramref name="batch"/> on <paramref name="db"/>, in order ('' applied,
    /// <see cref="Relist"/>, or the server's error); key by key with <paramref name="perKey"/>; all parts in one call with
    /// <paramref name="oneChunk"/> (tests: as a stale slot map would send them).
    /// </summary>
    public static async Task<string[]> ApplyAsync(IDatabase db, IReadOnlyList<CounterPart> parts, string batch, bool perKey = false, bool oneChunk = false)
    {
        var mux = db.Multiplexer;
        perKey |= !ClusterNodeChunks.Supported(mux);
        var chunks = perKey
            ? Enumerable.Range(0, parts.Count).Select(i => new List<int> { i }).ToList()
            : oneChunk ? new List<List<int>> { Enumerable.Range(0, parts.Count).ToList() }
            : ClusterNodeChunks.Of(mux, parts.Select(p => p.Key).ToList(), i => parts[i].Pairs.Count);
        var calls = chunks.Select((chunk, c) => Send(db, parts, chunk, batch, c, perKey ? Body : NodeScript)).ToList();
        var results = new string[parts.Count];
        var fallback = new List<(int Part, Task<RedisResult> Reply)>();
        for (var c = 0; c < chunks.Count; c++)
        {
            string reply;
            try
            {
                reply = (string?)await calls[c].ConfigureAwait(false) ?? "";
            }
            catch (Exception ex) when (!perKey && ClusterNodeChunks.Unsupported(mux, ex))
            {
                reply = "!" + ex.Message;
            }
            if (reply.StartsWith('!'))
            {
                // Nothing of this chunk applied: each of its keys alone, under tokens of their own.
                foreach (var i in chunks[c]) fallback.Add((i, Send(db, parts, new List<int> { i }, batch, chunks.Count + i, Body)));
                continue;
            }
            var lines = reply.Split('\n');
            for (var k = 0; k < chunks[c].Count; k++) results[chunks[c][k]] = lines[k];
        }
        foreach (var (i, reply) in fallback) results[i] = (string?)await reply.ConfigureAwait(false) ?? "";
        return results;
    }

    private static Task<RedisResult> Send(IDatabase db, IReadOnlyList<CounterPart> parts, List<int> chunk, string batch, int number, string script)
    {
        var first = parts[chunk[0]].Key;
        var keys = new RedisKey[] { first, ClusterCounterStore.TokenKey(first, batch, number.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var args = new List<RedisValue> { ClusterCounterStore.TokenSeconds };
        foreach (var i in chunk)
        {
            var part = parts[i];
            args.Add(part.Key);
            args.Add(ClusterCounterForget.MarkKey(part.Key));
            args.Add(part.Pairs.Count);
            foreach (var (slot, total) in part.Pairs)
            {
                args.Add(slot);
                args.Add(total);
            }
        }
        var values = args.ToArray();
        return ClusterCounterStore.Retry(() => db.ScriptEvaluateAsync(script, keys, values), db.Multiplexer);
    }

    /// <summary>
    /// Takes back applied parts (of an item another precision refused), one script per key, all at once; a token per
    /// part makes a resend take nothing back twice.
    /// </summary>
    public static Task UndoAsync(IDatabase db, IEnumerable<CounterPart> parts, string batch) => Task.WhenAll(parts.Select((part, i) =>
    {
        var keys = new RedisKey[] { part.Key, ClusterCounterStore.TokenKey(part.Key, batch, "undo:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var args = new List<RedisValue> { ClusterCounterStore.TokenSeconds };
        foreach (var (slot, total) in part.Pairs)
        {
            args.Add(slot);
            args.Add(total);
        }
        var values = args.ToArray();
        return ClusterCounterStore.Retry(() => db.ScriptEvaluateAsync(UndoScript, keys, values), db.Multiplexer);
    }));

    /// <summary>The parts of the segments, one per segment and precision, the precisions in the book's order.</summary>
    public static List<CounterPart> PartsOf(IEnumerable<CounterSegment> segments) =>
        segments.SelectMany(s => s.Totals.GroupBy(t => t.Key.Precision).OrderBy(g => g.Key).Select(g =>
            new CounterPart(s, CounterStore.KeyFor(g.Key, s.Name), g.Select(t => (t.Key.Slot, t.Value)).ToList()))).ToList();
}
