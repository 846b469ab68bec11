using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging.Commands;

/// <summary>
/// The two Write cmdlets: messages from the pipeline are stamped on arrival and sent in batches
/// (<see cref="PipelineBatch{T}"/>), so a big pipeline costs one round trip per batch, not per message.
/// </summary>
public abstract class LogWriterCmdlet : LogCmdlet
{
    private const int ProgressId = 0x106;
    private PipelineBatch<LogMessage>? batch;
    private bool progressShown;

    /// <summary>The message. Takes pipeline input (strings, or objects with a Message property).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Message { get; set; } = "";

    /// <summary>How many messages one round trip carries.</summary>
    private protected abstract int BatchSize { get; }

    /// <summary>The key a message is written to, for -WhatIf and error messages.</summary>
    private protected abstract string TargetKey(LogMessage message);

    /// <summary>Writes one batch on the component's connection.</summary>
    private protected abstract void Send(ComponentConnection connection, IReadOnlyList<LogMessage> messages);

    protected override void BeginProcessing() => batch = new PipelineBatch<LogMessage>(BatchSize, Flush);

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var message = LogMessage.Now(Name, Severity, Message);
        if (!ShouldProcess($"{TargetKey(message)} on component '{connection.Component}' ({connection.Endpoint})", "Log message")) return;
        batch!.Add(connection, message);
    }

    protected override void EndProcessing()
    {
        batch?.Flush();
        if (progressShown) WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Flush(ComponentConnection connection, IReadOnlyList<LogMessage> messages)
    {
        if (StopToken.IsCancellationRequested) return;
        var keys = string.Join(", ", messages.Select(TargetKey).Distinct());
        Guard(connection, () => Send(connection, messages), keys);
        if (batch!.Flushed + messages.Count > BatchSize)
        {
            progressShown = true;
            var sent = (batch.Flushed + messages.Count).ToString("#,0", CultureInfo.InvariantCulture);
            WriteProgress(new ProgressRecord(ProgressId, MyInvocation.MyCommand.Name, $"{sent} messages written to {keys} on component '{connection.Component}'"));
        }
    }
}
