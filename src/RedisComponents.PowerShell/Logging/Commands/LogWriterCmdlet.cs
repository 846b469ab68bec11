using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging.Commands;

/// <summary>
/// The two Write cmdlets: messages from the pipeline are stamped on arrival and sent in batches
/// (<see cref="BatchWriterCmdlet{T}"/>). -Name and -Severity are declared as in <see cref="LogCmdlet"/>:
/// a class has one base, and this one's is the batch writer.
/// </summary>
public abstract class LogWriterCmdlet : BatchWriterCmdlet<LogMessage>
{
    private (string Name, LogSeverity Severity, ComponentConnection? Connection) lastTarget;
    private string target = "";

    /// <summary>The log's name (the book's <c>name</c>), the middle part of <c>recent:NAME:SEVERITY</c>.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LogNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>One of the book's five severities; an enum, so anything else is a parameter error.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public LogSeverity Severity { get; set; } = LogSeverity.Info;

    /// <summary>The message. Takes pipeline input (strings, or objects with a Message property).</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Message { get; set; } = "";

    /// <summary>The key messages of this log go to, for -WhatIf, progress and error messages.</summary>
    private protected abstract string TargetKey(string name, LogSeverity severity);

    private protected override string ItemsName => "messages";

    /// <summary>The distinct target keys of a batch.</summary>
    private protected override string Describe(IReadOnlyList<LogMessage> messages) =>
        string.Join(", ", messages.Select(m => (m.Name, m.Severity)).Distinct().Select(k => TargetKey(k.Name, k.Severity)));

    protected override void ProcessRecord(ComponentConnection connection)
    {
        if (lastTarget != (Name, Severity, connection))
        {
            // Formatted once per log and connection, not per message: a big pipeline calls ShouldProcess per message.
            lastTarget = (Name, Severity, connection);
            target = $"{TargetKey(Name, Severity)} on component '{connection.Component}' ({connection.Endpoint})";
        }
        if (!ShouldProcess(target, "Log message")) return;
        Enqueue(connection, LogMessage.Now(Name, Severity, Message));
    }
}
