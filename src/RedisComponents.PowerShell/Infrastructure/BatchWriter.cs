using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The one batching object of every piped writer. It owns the queue and the batches in flight, and sends
/// a batch when it is full, when the component changes, when its oldest item has waited
/// <see cref="MaxAge"/> (a timer, so slow input is not held back), and when the pipeline ends or stops.
/// Sends are issued one at a time, in order, from whichever thread triggers them (the pipeline or the
/// timer); their results (<see cref="BatchResult"/>) are collected on the pipeline thread only, which is
/// where PowerShell allows output and errors. At most one batch stays in flight while the next one fills.
/// </summary>
internal sealed class BatchWriter<T> : IDisposable
{
    /// <summary>How long an item may wait in the queue before it is sent without more input.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a stopped pipeline (Ctrl+C) waits for what it accepted.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sends a batch: returns a task completing with the batch's outcome once Redis answered (a sender may
    /// work synchronously and return a completed task). May run on a timer thread: it must not write to the
    /// pipeline. <c>last</c> is true for the pipeline's final batch, which is awaited at once anyway; the
    /// token is cancelled when the writer gives up waiting (a stopped pipeline after <see cref="StopWait"/>).
    /// </summary>
    public delegate Task<BatchResult> Sender(ComponentConnection connection, IReadOnlyList<T> items, bool last, CancellationToken giveUp);

    private readonly int capacity;
    private readonly Sender send;
    private readonly Func<IReadOnlyList<T>, string> describe;
    private readonly string itemsName;
    private readonly object gate = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly CancellationTokenSource giveUp = new();
    private readonly ConcurrentQueue<InFlight> inFlight = new();
    private List<T> queue = new();
    private ComponentConnection? queueConnection;
    private long oldestTick;
    private Timer? timer;
    private bool closed;
    private readonly bool ageTimer;

    private sealed record InFlight(ComponentConnection Connection, IReadOnlyList<T> Items, Task<BatchResult> Task);

    /// <summary>A writer of batches of <paramref name="capacity"/>; no age timer unless <paramref name="ageTimer"/> (false when the caller sends everything right after queuing it).</summary>
    public BatchWriter(int capacity, Sender send, Func<IReadOnlyList<T>, string> describe, string itemsName, bool ageTimer = true)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        this.ageTimer = ageTimer;
        this.capacity = capacity;
        this.send = send;
        this.describe = describe;
        this.itemsName = itemsName;
    }

    /// <summary>Items handed to Redis so far (for progress).</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>The items of the batch sent last (for progress: what it wrote).</summary>
    public IReadOnlyList<T>? LastSent => Volatile.Read(ref lastSent);

    private IReadOnlyList<T>? lastSent;
    private long sent;

    /// <summary>True when a batch in flight has finished and its results wait for <see cref="Collect"/>.</summary>
    public bool HasFinished => inFlight.TryPeek(out var first) && first.Task.IsCompleted;

    /// <summary>Queues an item (pipeline thread). Returns true when a full batch was sent.</summary>
    public bool Add(ComponentConnection connection, T item)
    {
        bool switched, arm;
        int count;
        lock (gate)
        {
            switched = queue.Count > 0 && !ReferenceEquals(queueConnection, connection);
        }
        if (switched) SendQueued(last: false);
        lock (gate)
        {
            arm = queue.Count == 0;
            if (arm)
            {
                queueConnection = connection;
                oldestTick = Environment.TickCount64;
            }
            queue.Add(item);
            count = queue.Count;
        }
        if (count >= capacity)
        {
            SendQueued(last: false);
            return true;
        }
        if (arm && ageTimer) Arm(MaxAge);
        return switched;
    }

    /// <summary>
    /// The results of finished batches, oldest first (pipeline thread). Waits (each bounded by its
    /// connection's timeout, or <paramref name="bound"/>) until at most <paramref name="keepInFlight"/> remain.
    /// </summary>
    public List<BatchResult> Collect(int keepInFlight, TimeSpan? bound = null)
    {
        var results = new List<BatchResult>();
        var deadline = bound is { } b ? Environment.TickCount64 + (long)b.TotalMilliseconds : long.MaxValue;
        while (inFlight.TryPeek(out var first))
        {
            if (!first.Task.IsCompleted)
            {
                if (inFlight.Count <= keepInFlight) break;
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
            inFlight.TryDequeue(out _);
            results.Add(Outcome(first));
        }
        return results;
    }

    /// <summary>The end of the pipeline: sends what is queued and collects every batch.</summary>
    public List<BatchResult> Complete()
    {
        Close();
        SendQueued(last: true);
        return Collect(keepInFlight: 0);
    }

    /// <summary>
    /// The pipeline stopped (upstream error, break, Select-Object -First, Ctrl+C): sends what was accepted
    /// and waits for it, at most <see cref="StopWait"/> when <paramref name="stopping"/> (Ctrl+C), else each
    /// batch bounded by its connection's timeout. Returns what finished; the rest is given up.
    /// </summary>
    public List<BatchResult> Abort(bool stopping)
    {
        Close();
        List<BatchResult> results;
        if (stopping)
        {
            var deadline = Environment.TickCount64 + (long)StopWait.TotalMilliseconds;
            var flush = Task.Run(() => SendQueued(last: false));
            flush.Wait(StopWait);
            results = Collect(0, TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
        }
        else
        {
            SendQueued(last: true);
            results = Collect(keepInFlight: 0);
        }
        giveUp.Cancel();
        return results;
    }

    public void Dispose()
    {
        Close();
        giveUp.Cancel();
    }

    private void Close()
    {
        Timer? stopped;
        lock (gate)
        {
            closed = true;
            stopped = timer;
            timer = null;
        }
        stopped?.Dispose();
    }

    private void Arm(TimeSpan due)
    {
        lock (gate)
        {
            if (closed) return;
            timer ??= new Timer(static state => ((BatchWriter<T>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        long due;
        lock (gate)
        {
            if (closed || queue.Count == 0) return;
            due = oldestTick + (long)MaxAge.TotalMilliseconds - Environment.TickCount64;
        }
        if (due > 0)
        {
            Arm(TimeSpan.FromMilliseconds(due));
            return;
        }
        if (!sending.Wait(0))
        {
            Arm(TimeSpan.FromMilliseconds(20)); // a send is being issued; look again shortly
            return;
        }
        try
        {
            SendQueuedHoldingGate(last: false);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Issues the queued items as one batch; sends are issued one at a time so they stay in order.</summary>
    private void SendQueued(bool last)
    {
        sending.Wait();
        try
        {
            SendQueuedHoldingGate(last);
        }
        finally
        {
            sending.Release();
        }
    }

    private void SendQueuedHoldingGate(bool last)
    {
        List<T> items;
        ComponentConnection connection;
        lock (gate)
        {
            if (queue.Count == 0 || queueConnection is null) return;
            items = queue;
            connection = queueConnection;
            queue = new List<T>();
        }
        Task<BatchResult> task;
        try
        {
            task = send(connection, items, last, giveUp.Token);
        }
        catch (Exception ex)
        {
            task = Task.FromException<BatchResult>(ex);
        }
        inFlight.Enqueue(new InFlight(connection, items, task));
        lastSent = items;
        Interlocked.Add(ref sent, items.Count);
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
