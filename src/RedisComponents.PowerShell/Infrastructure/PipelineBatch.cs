using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Collects pipeline input so a big pipeline costs one round trip per batch, not per item. Sends when the
/// batch is full, when the component changes mid-pipeline, and on <see cref="Complete"/>. At most
/// <c>depth</c> batches are in flight: the send callback may return the work that finishes its batch (waiting for
/// the replies, reporting them), which runs, oldest first, once <c>depth</c> newer batches are on their way, or in
/// <see cref="Complete"/>.
/// </summary>
internal sealed class PipelineBatch<T>
{
    private readonly int capacity;
    private readonly int depth;
    private readonly Func<ComponentConnection, IReadOnlyList<T>, Action?> send;
    private readonly List<T> items;
    private readonly Queue<Action> inFlight = new();
    private ComponentConnection? connection;

    public PipelineBatch(int capacity, Func<ComponentConnection, IReadOnlyList<T>, Action?> send, int depth = 1)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth));
        this.capacity = capacity;
        this.depth = depth;
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
    /// Sends what is pending, then finishes the batches beyond the <c>depth</c> newest. The items are dropped even
    /// if the send throws, so one failure is reported once; then every earlier batch is finished first, so what is
    /// reported keeps the input's order.
    /// </summary>
    public void Flush()
    {
        if (items.Count == 0 || connection is null) return;
        var batch = items.ToArray();
        items.Clear();
        var sent = false;
        try
        {
            if (send(connection, batch) is { } finish) inFlight.Enqueue(finish);
            Flushed += batch.Length;
            sent = true;
        }
        finally
        {
            FinishUntil(sent ? depth : 0);
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
            FinishUntil(0);
        }
    }

    /// <summary>
    /// Finishes the oldest batches until <paramref name="left"/> remain. A batch that fails does not stop the ones
    /// after it from being finished (their answers are written); the first failure is rethrown after them. Ctrl+C
    /// stops at once.
    /// </summary>
    private void FinishUntil(int left)
    {
        ExceptionDispatchInfo? failure = null;
        while (inFlight.Count > left)
        {
            try
            {
                inFlight.Dequeue()();
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }
        }
        failure?.Throw();
    }
}
