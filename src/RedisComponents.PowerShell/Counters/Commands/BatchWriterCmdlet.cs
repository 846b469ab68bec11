using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// The Update cmdlets: pipeline input is queued with <see cref="PipelineBatch{T}"/> and each batch is
/// one transaction, so a big pipeline costs one round trip per batch, not per item.
/// </summary>
public abstract class BatchWriterCmdlet<T> : ComponentCmdlet
{
    private const int ProgressId = 0x205;
    private PipelineBatch<T>? batch;
    private bool progressShown;

    /// <summary>How many items one transaction carries.</summary>
    private protected abstract int BatchSize { get; }

    /// <summary>What a batch changes (keys), for progress and error records.</summary>
    private protected abstract string Describe(IReadOnlyList<T> items);

    /// <summary>Writes one batch on the component's connection.</summary>
    private protected abstract void Send(ComponentConnection connection, IReadOnlyList<T> items);

    protected override void BeginProcessing() => batch = new PipelineBatch<T>(BatchSize, Flush);

    /// <summary>Queues an item; sends the batch when it is full or the component changed.</summary>
    private protected void Enqueue(ComponentConnection connection, T item) => batch!.Add(connection, item);

    protected override void EndProcessing()
    {
        batch?.Flush();
        if (progressShown) WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Flush(ComponentConnection connection, IReadOnlyList<T> items)
    {
        if (StopToken.IsCancellationRequested) return;
        var target = Describe(items);
        Guard(connection, () => Send(connection, items), target);
        if (batch!.Flushed + items.Count > BatchSize)
        {
            progressShown = true;
            var sent = (batch.Flushed + items.Count).ToString("#,0", CultureInfo.InvariantCulture);
            WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, $"{sent} values written to {target} on component '{connection.Component}'"));
        }
    }
}
