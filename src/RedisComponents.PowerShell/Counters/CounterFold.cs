using System.Collections.Generic;

namespace RedisComponents.Counters;

/// <summary>
/// Folds a batch of increments into segments: one segment is a run of items of one counter name whose
/// totals per (precision, slot) fit a 64-bit integer and a bounded number of slots, so one short script
/// call applies a segment all or nothing. An item whose hits would overflow a segment's total starts a
/// new segment, so the server rejects just the items that overflow the stored count, as one call per
/// item would.
/// </summary>
internal sealed class CounterFold
{
    /// <summary>Most (precision, slot) totals one segment, and one script call, carries (bounds the server's work per call).</summary>
    public const int MaxSlots = 210;

    private readonly Dictionary<string, List<CounterSegment>> byName = new(System.StringComparer.Ordinal);
    private readonly List<CounterSegment> order = new();
    private int added;

    /// <summary>The segments in the order their first item arrived (a counter's segments in item order).</summary>
    public IReadOnlyList<CounterSegment> Segments => order;

    public void Add(CounterIncrement item)
    {
        var index = added++;
        if (!byName.TryGetValue(item.Name, out var segments))
        {
            segments = new List<CounterSegment>(1);
            byName.Add(item.Name, segments);
        }
        if (segments.Count == 0 || !segments[^1].TryAdd(item, index))
        {
            var segment = new CounterSegment(item.Name);
            segment.TryAdd(item, index); // one item always fits an empty segment: 7 slots, totals = its count
            segments.Add(segment);
            order.Add(segment);
        }
    }

    public static CounterFold Of(IEnumerable<CounterIncrement> items)
    {
        var fold = new CounterFold();
        foreach (var item in items) fold.Add(item);
        return fold;
    }
}

/// <summary>Totals of consecutive items of one counter per (precision index, slot start).</summary>
internal sealed class CounterSegment(string name)
{
    private readonly Dictionary<(int Precision, long Slot), long> totals = new();
    private readonly List<int> indices = new(1);
    private readonly long[] slots = new long[CounterStore.Precisions.Count];

    public string Name { get; } = name;

    public int Items => indices.Count;

    /// <summary>The positions of the segment's items in the batch.</summary>
    public IReadOnlyList<int> ItemIndices => indices;

    public long Hits { get; private set; }

    public IReadOnlyDictionary<(int Precision, long Slot), long> Totals => totals;

    public bool TryAdd(CounterIncrement item, int index)
    {
        // Every slot total is at most the segment's hits, so checking the hits checks every total.
        if (Hits > long.MaxValue - item.Count) return false;
        var precisions = CounterStore.Precisions;
        var added = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = CounterStore.SlotStart(item.UnixSeconds, precisions[i]);
            if (!totals.ContainsKey((precisions[i], slots[i]))) added++;
        }
        if (Items > 0 && totals.Count + added > CounterFold.MaxSlots) return false;
        for (var i = 0; i < slots.Length; i++)
        {
            var key = (precisions[i], slots[i]);
            totals[key] = totals.GetValueOrDefault(key) + item.Count;
        }
        indices.Add(index);
        Hits += item.Count;
        return true;
    }
}
