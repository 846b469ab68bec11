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

    /// <summary>
    /// Applies a batch in one MULTI/EXEC: one ZADD of every <c>p:NAME</c> to <c>known:</c> and one HINCRBY
    /// per (counter, slot) with the batch's total, so the end state is what the book's per-call
    /// transactions reach, and the cleaner never sees a counter's sample without its <c>known:</c> entry.
    /// </summary>
    public static void Update(IDatabase db, IReadOnlyList<CounterIncrement> increments) => db.Wait(UpdateAsync(db, increments));

    /// <summary>
    /// <see cref="Update"/> without waiting: the caller can prepare the next batch while Redis works.
    /// The task fails with the first command's own error (WRONGTYPE...), not an AggregateException.
    /// </summary>
    public static async Task UpdateAsync(IDatabase db, IReadOnlyList<CounterIncrement> increments)
    {
        if (increments.Count == 0) return;
        var members = new HashSet<string>(StringComparer.Ordinal);
        var totals = new Dictionary<(string Key, long Slot), long>();
        foreach (var increment in increments)
        {
            foreach (var precision in Precisions)
            {
                members.Add(MemberFor(precision, increment.Name));
                var slot = (KeyFor(precision, increment.Name), SlotStart(increment.UnixSeconds, precision));
                totals[slot] = checked(totals.GetValueOrDefault(slot) + increment.Count); // never wrap silently
            }
        }

        var tran = db.CreateTransaction();
        var pending = new List<Task>(totals.Count + 1)
        {
            tran.SortedSetAddAsync(KnownKey, members.Select(m => new SortedSetEntry(m, 0)).ToArray()),
        };
        foreach (var ((key, slot), count) in totals) pending.Add(tran.HashIncrementAsync(key, slot, count));
        await tran.ExecuteAsync().ConfigureAwait(false);
        foreach (var task in pending) await task.ConfigureAwait(false);
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
