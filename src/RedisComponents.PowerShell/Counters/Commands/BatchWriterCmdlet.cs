using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// The Update cmdlets: pipeline input is queued with <see cref="PipelineBatch{T}"/> and each batch is
/// one transaction, so a big pipeline costs one round trip per batch, not per item. A batch may still be
/// in flight while the pipeline fills the next one (at most one: the next flush waits for it first).
/// </summary>
public abstract class BatchWriterCmdlet<T> : ComponentCmdlet
{
    private const int ProgressId = 0x205;
    private PipelineBatch<T>? batch;
    private (ComponentConnection Connection, string Target, Task Reply)? inFlight;
    private bool progressShown;

    /// <summary>How many items one transaction carries.</summary>
    private protected abstract int BatchSize { get; }

    /// <summary>What a batch changes (keys), for progress and error records.</summary>
    private protected abstract string Describe(IReadOnlyList<T> items);

    /// <summary>Writes one batch on the component's connection; the task completes with Redis's replies.</summary>
    private protected abstract Task Send(ComponentConnection connection, IReadOnlyList<T> items);

    protected override void BeginProcessing() => batch = new PipelineBatch<T>(BatchSize, Flush);

    /// <summary>Queues an item; sends the batch when it is full or the component changed.</summary>
    private protected void Enqueue(ComponentConnection connection, T item) => batch!.Add(connection, item);

    protected override void EndProcessing()
    {
        batch?.Flush();
        Complete();
        if (progressShown) WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Flush(ComponentConnection connection, IReadOnlyList<T> items)
    {
        if (StopToken.IsCancellationRequested) return;
        Complete();
        var target = Describe(items);
        Guard(connection, () => inFlight = (connection, target, Send(connection, items)), target);
        if (batch!.Flushed + items.Count > BatchSize)
        {
            progressShown = true;
            var sent = (batch.Flushed + items.Count).ToString("#,0", CultureInfo.InvariantCulture);
            WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, $"{sent} values written to {target} on component '{connection.Component}'"));
        }
    }

    /// <summary>Waits (bounded by the connection's sync timeout) for the batch in flight and reports its failure.</summary>
    private void Complete()
    {
        if (inFlight is not { } sent) return;
        inFlight = null;
        Guard(sent.Connection, () => sent.Connection.Database.Wait(sent.Reply), sent.Target);
    }
}
