using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The writing cmdlets of piped input (logs, counters, statistics). A cmdlet says how big a batch is, what
/// its keys are (<see cref="Describe"/>) and how a batch is sent (<see cref="Send"/>); the
/// <see cref="BatchWriter{T}"/> does the rest: batches by size and age, one batch in flight while the next
/// fills, a flush when the pipeline ends or stops for any reason (PowerShell disposes the cmdlet), and the
/// batches' output and errors written on the pipeline thread at the next record, at the end, or on dispose.
/// </summary>
public abstract class BatchWriterCmdlet<T> : ComponentCmdlet, IDisposable
{
    private const int ProgressId = 0x205;
    private const int ProgressIntervalMs = 200;
    private BatchWriter<T>? writer;
    private bool progressShown;
    private long progressAt;
    private bool completed;
    private volatile bool stopping;

    /// <summary>How many items one round trip carries.</summary>
    private protected abstract int BatchSize { get; }

    /// <summary>What the items are, for progress and errors ("messages", "values").</summary>
    private protected abstract string ItemsName { get; }

    /// <summary>What a batch changes (keys), for progress and error records.</summary>
    private protected abstract string Describe(IReadOnlyList<T> items);

    /// <summary>
    /// Writes one batch on the component's connection and completes with its outcome: output for
    /// -PassThru and an error per rejected item group (<see cref="BatchResult.Reject(ComponentConnection, string, int, string, Exception)"/>).
    /// A fault fails the whole batch (reported naming <see cref="Describe"/> and the count). May run on a
    /// timer thread: never call WriteObject/WriteError here. With <paramref name="last"/> true the batch is
    /// waited for at once (a synchronous EXEC costs less than an awaited one). <paramref name="giveUp"/> is
    /// cancelled when the cmdlet stops waiting (Ctrl+C after a bounded wait): retry loops must watch it.
    /// </summary>
    private protected abstract Task<BatchResult> Send(ComponentConnection connection, IReadOnlyList<T> items, bool last, CancellationToken giveUp);

    /// <summary>Adapts a sender whose task only completes or faults: every item written, nothing to output.</summary>
    private protected static async Task<BatchResult> AllOrNothing(Task write)
    {
        await write.ConfigureAwait(false);
        return BatchResult.Empty;
    }

    /// <summary>
    /// Without pipeline input (parameters only) the one ProcessRecord is followed at once by EndProcessing, which
    /// sends what is queued: no item can wait for more input, so no age timer is armed.
    /// </summary>
    protected override void BeginProcessing() =>
        writer = new BatchWriter<T>(BatchSize, (c, items, last, giveUp) => Send(c, items, last, giveUp), Describe, ItemsName,
            ageTimer: MyInvocation.ExpectingInput);

    /// <summary>Queues an item; the writer sends it when the batch is full, old, or the pipeline ends.</summary>
    private protected void Enqueue(ComponentConnection connection, T item)
    {
        if (writer!.Add(connection, item))
        {
            Report(writer.Collect(keepInFlight: 1));
            ShowProgress(connection);
        }
        else if (writer.HasFinished)
        {
            Report(writer.Collect(keepInFlight: 1));
        }
    }

    protected override void EndProcessing()
    {
        if (writer is null) return;
        completed = true;
        Report(writer.Complete());
        if (progressShown) WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    protected override void StopProcessing()
    {
        stopping = true;
        base.StopProcessing();
    }

    /// <summary>
    /// PowerShell disposes the cmdlet however the pipeline ends. Unless EndProcessing ran, what was accepted
    /// is still written here (Ctrl+C: bounded wait of one second), before the connections are released.
    /// </summary>
    void IDisposable.Dispose()
    {
        try
        {
            if (writer is not null && !completed)
            {
                completed = true;
                var results = writer.Abort(stopping);
                try
                {
                    Report(results);
                }
                catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or PipelineClosedException)
                {
                    // The pipeline no longer takes output; the writes themselves are done.
                }
            }
            writer?.Dispose();
        }
        finally
        {
            Dispose();
        }
    }

    private void Report(List<BatchResult> results)
    {
        foreach (var result in results)
        {
            foreach (var output in result.Output) WriteObject(output);
            foreach (var error in result.Errors) WriteError(error);
        }
    }

    /// <summary>
    /// Progress after the first batch, then at most every <see cref="ProgressIntervalMs"/>: a WriteProgress call
    /// takes ≈ 0.3 ms of the pipeline's time in the console host.
    /// </summary>
    private void ShowProgress(ComponentConnection connection)
    {
        var sent = writer!.Sent;
        if (sent <= BatchSize) return;
        var now = Environment.TickCount64;
        if (progressShown && now - progressAt < ProgressIntervalMs) return;
        progressAt = now;
        progressShown = true;
        WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name,
            $"{sent.ToString("#,0", CultureInfo.InvariantCulture)} {ItemsName} sent to {(writer.LastSent is { } last ? Describe(last) : "Redis")} on component '{connection.Component}'"));
    }
}
