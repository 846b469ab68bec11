using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging.Commands;

/// <summary>
/// The two Write cmdlets: messages from the pipeline are stamped on arrival and sent in batches
/// (<see cref="PipelineBatch{T}"/>), so a big pipeline costs one round trip per batch, not per message.
/// One batch may be in flight while the next one fills; it is awaited before the next is sent and at the end.
/// </summary>
public abstract class LogWriterCmdlet : LogCmdlet
{
    private const int ProgressId = 0x106;
    private PipelineBatch<LogMessage>? batch;
    private InFlight? inFlight;
    private bool progressShown;
    private bool ending;
    private (string Name, LogSeverity Severity, ComponentConnection? Connection) lastTarget;
    private string target = "";

    /// <summary>The message. Takes pipeline input (strings, or objects with a Message property).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Message { get; set; } = "";

    /// <summary>How many messages one round trip carries.</summary>
    private protected abstract int BatchSize { get; }

    /// <summary>The key messages of this log go to, for -WhatIf, progress and error messages.</summary>
    private protected abstract string TargetKey(string name, LogSeverity severity);

    /// <summary>
    /// Writes one batch on the component's connection. With <paramref name="wait"/> false it may return before
    /// the batch is written (the task completes when it is); with true it returns once it is written.
    /// </summary>
    private protected abstract Task Send(ComponentConnection connection, IReadOnlyList<LogMessage> messages, bool wait);

    /// <summary>Called once a batch is known to be written (for -PassThru).</summary>
    private protected virtual void Written(IReadOnlyList<LogMessage> messages)
    {
    }

    protected override void BeginProcessing() => batch = new PipelineBatch<LogMessage>(BatchSize, Flush);

    protected override void ProcessRecord(ComponentConnection connection)
    {
        if (lastTarget != (Name, Severity, connection))
        {
            // Formatted once per log and connection, not per message: a big pipeline calls ShouldProcess per message.
            lastTarget = (Name, Severity, connection);
            target = $"{TargetKey(Name, Severity)} on component '{connection.Component}' ({connection.Endpoint})";
        }
        if (!ShouldProcess(target, "Log message")) return;
        batch!.Add(connection, LogMessage.Now(Name, Severity, Message));
    }

    protected override void EndProcessing()
    {
        // The last batch is waited for at once: a synchronous EXEC costs less than an awaited one.
        ending = true;
        batch?.Flush();
        Complete();
        if (progressShown) WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Flush(ComponentConnection connection, IReadOnlyList<LogMessage> messages)
    {
        Complete();
        if (StopToken.IsCancellationRequested) return;
        var keys = KeysOf(messages);
        Task? write = null;
        if (!Guard(connection, () => write = Send(connection, messages, ending), keys)) return;
        inFlight = new InFlight(connection, messages, write!, keys);

        var sent = batch!.Flushed + messages.Count;
        if (sent > BatchSize)
        {
            progressShown = true;
            WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name,
                $"{sent.ToString("#,0", CultureInfo.InvariantCulture)} messages sent to {keys} on component '{connection.Component}'"));
        }
    }

    /// <summary>The distinct target keys of a batch, for messages.</summary>
    private protected string KeysOf(IReadOnlyList<LogMessage> messages) =>
        string.Join(", ", messages.Select(m => (m.Name, m.Severity)).Distinct().Select(k => TargetKey(k.Name, k.Severity)));

    /// <summary>Waits for the batch in flight; reports its failure, or hands it to <see cref="Written"/>.</summary>
    private void Complete()
    {
        if (inFlight is not { } done) return;
        inFlight = null;
        if (Guard(done.Connection, () => done.Write.GetAwaiter().GetResult(), done.Keys)) Written(done.Messages);
    }

    private sealed record InFlight(ComponentConnection Connection, IReadOnlyList<LogMessage> Messages, Task Write, string Keys);
}
