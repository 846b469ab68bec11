using System;
using System.Collections.Generic;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Collects pipeline input so a big pipeline costs one round trip per batch, not per item. Flushes when
/// the batch is full, when the component changes mid-pipeline, and (by the cmdlet) in EndProcessing.
/// </summary>
internal sealed class PipelineBatch<T>
{
    private readonly int capacity;
    private readonly Action<ComponentConnection, IReadOnlyList<T>> flush;
    private readonly List<T> items;
    private ComponentConnection? connection;

    public PipelineBatch(int capacity, Action<ComponentConnection, IReadOnlyList<T>> flush)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        this.capacity = capacity;
        this.flush = flush;
        // Grown on demand: most invocations carry one item, and a pre-sized list per call costs GCs in a loop.
        items = new List<T>();
    }

    /// <summary>Items sent so far (for progress and summaries).</summary>
    public long Flushed { get; private set; }

    public int Pending => items.Count;

    public ComponentConnection? Connection => connection;

    public void Add(ComponentConnection target, T item)
    {
        if (connection is not null && !ReferenceEquals(connection, target) && items.Count > 0) Flush();
        connection = target;
        items.Add(item);
        if (items.Count >= capacity) Flush();
    }

    /// <summary>Sends what is pending. The items are dropped even if the flush throws, so one failure is reported once.</summary>
    public void Flush()
    {
        if (items.Count == 0 || connection is null) return;
        var batch = items.ToArray();
        items.Clear();
        flush(connection, batch);
        Flushed += batch.Length;
    }
}
