using System;
using System.Collections.Generic;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Collects pipeline input so a big pipeline costs one round trip per batch, not per item. Sends when the
/// batch is full, when the component changes mid-pipeline, and on <see cref="Complete"/>. At most one batch
/// is in flight: the send callback may return the work that finishes its batch (waiting for the replies,
/// reporting them), which runs once the next batch is on its way, or in <see cref="Complete"/>.
/// </summary>
internal sealed class PipelineBatch<T>
{
    private readonly int capacity;
    private readonly Func<ComponentConnection, IReadOnlyList<T>, Action?> send;
    private readonly List<T> items;
    private ComponentConnection? connection;
    private Action? inFlight;

    public PipelineBatch(int capacity, Func<ComponentConnection, IReadOnlyList<T>, Action?> send)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        this.capacity = capacity;
        this.send = send;
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

    /// <summary>
    /// Sends what is pending, then finishes the batch sent before it. The items are dropped even if the send
    /// throws, so one failure is reported once; the earlier batch is finished either way.
    /// </summary>
    public void Flush()
    {
        if (items.Count == 0 || connection is null) return;
        var batch = items.ToArray();
        items.Clear();
        var previous = inFlight;
        inFlight = null;
        try
        {
            inFlight = send(connection, batch);
            Flushed += batch.Length;
        }
        finally
        {
            previous?.Invoke();
        }
    }

    /// <summary>Sends what is pending and finishes every batch: the end of the pipeline.</summary>
    public void Complete()
    {
        try
        {
            Flush();
        }
        finally
        {
            var last = inFlight;
            inFlight = null;
            last?.Invoke();
        }
    }
}
