using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Book 5.2.1 counters: for every precision p (seconds) the hash <c>count:p:NAME</c> maps the start of
/// each p-second slot (Unix seconds, <c>floor(now/p)*p</c>) to a count, and the sorted set <c>known:</c>
/// lists every <c>p:NAME</c> with score 0 so the cleaner can find them.
/// </summary>
internal static class CounterStore
{
    public const string KnownKey = "known:";

    /// <summary>The book's PRECISION list, in seconds.</summary>
    public static readonly IReadOnlyList<int> Precisions = new[] { 1, 5, 60, 300, 3600, 18000, 86400 };

    /// <summary>The member of <c>known:</c> for a counter: <c>p:NAME</c>.</summary>
    public static string MemberFor(int precision, string name) =>
        precision.ToString(CultureInfo.InvariantCulture) + ":" + name;

    public static string KeyFor(int precision, string name) => "count:" + MemberFor(precision, name);

    /// <summary>The start of the slot holding <paramref name="unixSeconds"/> (floor, also before 1970).</summary>
    public static long SlotStart(long unixSeconds, int precision)
    {
        var slots = unixSeconds / precision;
        if (unixSeconds % precision < 0) slots--;
        return slots * precision;
    }

    public static long UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    // KEYS[1] = known:, then the count:p:NAME keys of every segment; ARGV per segment: n, then n (slot, total) pairs.
    // A segment is applied all or nothing: on the first failing HINCRBY (WRONGTYPE, not an integer, overflow)
    // the segment's earlier increments are undone (a field back at 0 is removed: the book never writes 0).
    // Scripts run atomically, so nobody sees the undone state; CounterFold bounds the work per call.
    private const string UpdateScript = """
        local kind = redis.call('TYPE', KEYS[1]).ok
        if kind ~= 'zset' and kind ~= 'none' then
          return {'WRONGTYPE Operation against a key holding the wrong kind of value'}
        end
        local out, members, seen = {''}, {}, {}
        local k, a = 2, 1
        while a <= #ARGV do
          local n = tonumber(ARGV[a])
          a = a + 1
          local done, failed = 0, false
          for i = 0, n - 1 do
            local r = redis.pcall('HINCRBY', KEYS[k + i], ARGV[a + 2 * i], ARGV[a + 2 * i + 1])
            if type(r) == 'table' and r.err then
              failed = true
              out[#out + 1] = KEYS[k + i] .. '\n' .. r.err
              break
            end
            done = i + 1
          end
          if failed then
            for i = 0, done - 1 do
              local key, field = KEYS[k + i], ARGV[a + 2 * i]
              if redis.call('HINCRBY', key, field, '-' .. ARGV[a + 2 * i + 1]) == 0 then redis.call('HDEL', key, field) end
            end
          else
            out[#out + 1] = ''
            for i = 0, n - 1 do
              local member = string.sub(KEYS[k + i], 7)
              if not seen[member] then
                seen[member] = true
                members[#members + 1] = 0
                members[#members + 1] = member
              end
            end
          end
          k = k + n
          a = a + 2 * n
        end
        if #members > 0 then redis.call('ZADD', KEYS[1], unpack(members)) end
        return out
        """;

    /// <summary>
    /// Applies a batch: the increments are folded per counter and slot (the end state is what the book's
    /// per-call transactions reach), then sent as a few short scripts, each applying whole segments of
    /// items with their <c>known:</c> entries, so the cleaner never sees a sample without its entry.
    /// Returns the items the server refused; everything else was written.
    /// </summary>
    public static IReadOnlyList<CounterRejection> Update(IDatabase db, IReadOnlyList<CounterIncrement> increments) => db.Wait(UpdateAsync(db, increments));

    /// <summary>
    /// <see cref="Update"/> without waiting: the caller can prepare the next batch while Redis works.
    /// Fails only when the server cannot be reached or refuses a whole script (then nothing of that call applied).
    /// </summary>
    public static async Task<IReadOnlyList<CounterRejection>> UpdateAsync(IDatabase db, IReadOnlyList<CounterIncrement> increments)
    {
        if (increments.Count == 0) return Array.Empty<CounterRejection>();
        var calls = new List<(Task<RedisResult> Reply, List<CounterSegment> Segments)>();
        var keys = new List<RedisKey> { KnownKey };
        var args = new List<RedisValue>();
        var segments = new List<CounterSegment>();
        var slots = 0;
        foreach (var segment in CounterFold.Of(increments).Segments)
        {
            if (slots > 0 && slots + segment.Totals.Count > CounterFold.MaxSlots)
            {
                calls.Add((db.ScriptEvaluateAsync(UpdateScript, keys.ToArray(), args.ToArray()), segments));
                keys = new List<RedisKey> { KnownKey };
                args = new List<RedisValue>();
                segments = new List<CounterSegment>();
                slots = 0;
            }
            segments.Add(segment);
            slots += segment.Totals.Count;
            args.Add(segment.Totals.Count);
            foreach (var ((precision, slot), total) in segment.Totals)
            {
                keys.Add(KeyFor(precision, segment.Name));
                args.Add(slot);
                args.Add(total);
            }
        }
        calls.Add((db.ScriptEvaluateAsync(UpdateScript, keys.ToArray(), args.ToArray()), segments));

        var rejected = new List<CounterRejection>();
        foreach (var (reply, sent) in calls)
        {
            var results = (RedisResult[])(await reply.ConfigureAwait(false))!;
            var knownError = (string?)results[0];
            for (var i = 0; i < sent.Count; i++)
            {
                var error = string.IsNullOrEmpty(knownError) ? (string?)results[i + 1] : KnownKey + "\n" + knownError;
                if (string.IsNullOrEmpty(error)) continue;
                var newline = error.IndexOf('\n', StringComparison.Ordinal);
                var message = error[(newline + 1)..];
                rejected.Add(new CounterRejection(sent[i].Name, error[..newline], sent[i].Items, sent[i].Hits,
                    message.Contains("overflow", StringComparison.OrdinalIgnoreCase), message, sent[i].ItemIndices));
            }
        }
        return rejected;
    }

    /// <summary>The samples of one counter at one precision, oldest first (the book's <c>get_counter</c>).</summary>
    public static IReadOnlyList<CounterSample> Read(IDatabase db, string name, int precision)
    {
        var samples = new List<CounterSample>();
        foreach (var entry in db.HashGetAll(KeyFor(precision, name)))
        {
            // Fields or values that are not integers were not written by update_counter; skip them.
            if (!long.TryParse((string?)entry.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp)) continue;
            if (!long.TryParse((string?)entry.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)) continue;
            samples.Add(new CounterSample(name, precision, timestamp, count));
        }
        samples.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return samples;
    }
}
