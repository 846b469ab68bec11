using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The writing cmdlets of piped input (logs, counters, statistics): items are queued with
/// <see cref="PipelineBatch{T}"/> and each batch is one round trip; one batch may still be in flight while
/// the pipeline fills the next. Failures become non-terminating errors naming the batch's keys.
/// </summary>
public abstract class BatchWriterCmdlet<T> : ComponentCmdlet
{
    private const int ProgressId = 0x205;
    private PipelineBatch<T>? batch;
    private bool progressShown;
    private bool ending;

    /// <summary>How many items one round trip carries.</summary>
    private protected abstract int BatchSize { get; }

    /// <summary>What the items are, for progress ("messages", "values").</summary>
    private protected abstract string ItemsName { get; }

    /// <summary>What a batch changes (keys), for -WhatIf, progress and error records.</summary>
    private protected abstract string Describe(IReadOnlyList<T> items);

    /// <summary>
    /// Writes one batch on the component's connection. With <paramref name="last"/> false it may return
    /// before the batch is written (the task completes when it is); the pipeline's last batch is waited for
    /// at once, since a synchronous EXEC costs less than an awaited one.
    /// </summary>
    private protected abstract Task Send(ComponentConnection connection, IReadOnlyList<T> items, bool last);

    /// <summary>Called once a batch is known to be written (for -PassThru).</summary>
    private protected virtual void Written(IReadOnlyList<T> items)
    {
    }

    protected override void BeginProcessing() => batch = new PipelineBatch<T>(BatchSize, Start);

    /// <summary>Queues an item; sends the batch when it is full or the component changed.</summary>
    private protected void Enqueue(ComponentConnection connection, T item) => batch!.Add(connection, item);

    protected override void EndProcessing()
    {
        ending = true;
        batch?.Complete();
        if (progressShown) WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>Sends a batch; returns what waits for it (bounded by the connection's sync timeout) and reports it.</summary>
    private System.Action? Start(ComponentConnection connection, IReadOnlyList<T> items)
    {
        if (StopToken.IsCancellationRequested) return null;
        var target = Describe(items);
        Task? write = null;
        if (!Guard(connection, () => write = Send(connection, items, ending), target)) return null;

        var sent = batch!.Flushed + items.Count;
        if (sent > BatchSize)
        {
            progressShown = true;
            WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name,
                $"{sent.ToString("#,0", CultureInfo.InvariantCulture)} {ItemsName} sent to {target} on component '{connection.Component}'"));
        }
        return () =>
        {
            if (Guard(connection, () => AwaitWrite(connection, write!), target)) Written(items);
        };
    }

    /// <summary>
    /// Waits for a batch, bounded by the connection's sync timeout, and rethrows the command's own failure
    /// (WRONGTYPE...): the send tasks are composed, so a plain wait would surface an AggregateException.
    /// </summary>
    private static void AwaitWrite(ComponentConnection connection, Task write)
    {
        try
        {
            connection.Database.Wait(write);
        }
        catch (System.AggregateException ex)
        {
            ExceptionDispatchInfo.Capture(ex.Flatten().InnerExceptions[0]).Throw();
        }
    }
}
