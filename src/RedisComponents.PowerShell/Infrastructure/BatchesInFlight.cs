using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading.Tasks;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The batches a <see cref="BatchWriter{T}"/> has issued, oldest first, until their results are collected on the
/// pipeline thread: a batch that failed as a whole becomes one error naming its keys and item count.
/// </summary>
internal sealed class BatchesInFlight<T>
{
    private readonly ConcurrentQueue<InFlight> queue = new();
    private readonly Func<IReadOnlyList<T>, string> describe;
    private readonly string itemsName;

    private sealed record InFlight(ComponentConnection Connection, IReadOnlyList<T> Items, Task<BatchResult> Task);

    public BatchesInFlight(Func<IReadOnlyList<T>, string> describe, string itemsName)
    {
        this.describe = describe;
        this.itemsName = itemsName;
    }

    /// <summary>True when the oldest batch has finished and its results wait for <see cref="Collect"/>.</summary>
    public bool HasFinished => queue.TryPeek(out var first) && first.Task.IsCompleted;

    /// <summary>Adds an issued batch (in the order of issue).</summary>
    public void Add(ComponentConnection connection, IReadOnlyList<T> items, Task<BatchResult> task) => queue.Enqueue(new InFlight(connection, items, task));

    /// <summary>
    /// The results of finished batches, oldest first (pipeline thread). Waits (each bounded by its
    /// connection's timeout, or <paramref name="bound"/>) until at most <paramref name="keepInFlight"/> remain.
    /// </summary>
    public List<BatchResult> Collect(int keepInFlight, TimeSpan? bound = null)
    {
        var results = new List<BatchResult>();
        var deadline = bound is { } b ? Environment.TickCount64 + (long)b.TotalMilliseconds : long.MaxValue;
        while (queue.TryPeek(out var first))
        {
            if (!first.Task.IsCompleted)
            {
                if (queue.Count <= keepInFlight) break;
                var wait = Math.Min(first.Connection.Database.Multiplexer.TimeoutMilliseconds, Math.Max(0, deadline - Environment.TickCount64));
                try
                {
                    first.Task.Wait((int)Math.Min(wait, int.MaxValue));
                }
                catch (AggregateException)
                {
                    // Reported below from the task itself.
                }
            }
            queue.TryDequeue(out _);
            results.Add(Outcome(first));
        }
        return results;
    }

    /// <summary>A finished (or given-up) batch as a result: a failure of the whole batch names its keys and count.</summary>
    private BatchResult Outcome(InFlight batch)
    {
        var task = batch.Task;
        if (task.IsCompletedSuccessfully) return task.Result;
        var result = new BatchResult();
        var keys = describe(batch.Items);
        Exception error = task.IsFaulted
            ? task.Exception!.Flatten().InnerExceptions[0]
            : new TimeoutException($"Redis did not confirm the write within the wait allowed ({(task.IsCanceled ? "cancelled" : "given up")}).");
        if (error is OperationCanceledException) error = new TimeoutException("The write was given up when the pipeline stopped before Redis confirmed it.");
        result.Reject(batch.Connection, keys, batch.Items.Count, itemsName, error);
        return result;
    }
}
