using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging.Commands;

/// <summary>
/// The two Write cmdlets: messages are stamped on arrival and sent in batches (<see cref="BatchWriterCmdlet{T}"/>).
/// Everything piped binds to <c>-InputObject</c>, a PSObject, which PowerShell binds without conversion or
/// property probe (binding piped strings to the <c>string[]</c> of -Message cost 0.5 µs CPU per item, a third
/// of the pipe): a piped string is the message itself; of any other object the Message, Severity and Name
/// properties are read here (ConvertFrom-Json output, custom objects). <c>-Message</c> takes messages given
/// on the command line, a whole array in one binding.
/// </summary>
public abstract class LogWriterCmdlet : BatchWriterCmdlet<LogMessage>
{
    private const string MessageSet = "Message";
    private const string InputObjectSet = "InputObject";
    private (string Name, LogSeverity Severity, ComponentConnection? Connection) lastTarget;
    private string target = "";

    /// <summary>The log's name (the book's <c>name</c>), the middle part of <c>recent:NAME:SEVERITY</c>.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = MessageSet)]
    [Parameter(Position = 1, ParameterSetName = InputObjectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LogNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>One of the book's five severities; an enum, so anything else is a parameter error.</summary>
    [Parameter]
    public LogSeverity Severity { get; set; } = LogSeverity.Info;

    /// <summary>The messages given on the command line: one, or a whole array in one binding (piped messages bind to -InputObject).</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = MessageSet)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] Message { get; set; } = System.Array.Empty<string>();

    /// <summary>What is piped: a string is the message; an object with a Message property (and optionally Severity and Name) gives them; other objects are logged as their text.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject? InputObject { get; set; }

    /// <summary>The key messages of this log go to, for -WhatIf, progress and error messages.</summary>
    private protected abstract string TargetKey(string name, LogSeverity severity);

    /// <summary>Every key a message of the log writes, in the deployment's layout (for -WhatIf and -Confirm).</summary>
    private protected abstract string WrittenKeys(string name, LogSeverity severity, bool cluster);

    private protected override string ItemsName => "messages";

    /// <summary>The distinct target keys of a batch.</summary>
    private protected override string Describe(IReadOnlyList<LogMessage> messages) =>
        string.Join(", ", messages.Select(m => (m.Name, m.Severity)).Distinct().Select(k => TargetKey(k.Name, k.Severity)));

    protected override void ProcessRecord(ComponentConnection connection)
    {
        if (InputObject is not null && ParameterSetName == InputObjectSet)
        {
            if (FromObject(InputObject) is var (name, severity, text)) Log(connection, name, severity, text);
            return;
        }
        var messages = Message;
        if (messages.Length == 1)
        {
            Log(connection, Name, Severity, messages[0]);
            return;
        }
        if (messages.Length == 0 || (!SkipShouldProcess && !ShouldProcess(Target(connection, Name, Severity), $"Log {messages.Length} messages"))) return;
        foreach (var message in messages) Enqueue(connection, LogMessage.Now(Name, Severity, message ?? ""));
    }

    private void Log(ComponentConnection connection, string name, LogSeverity severity, string? message)
    {
        if (!SkipShouldProcess && !ShouldProcess(Target(connection, name, severity), "Log message")) return;
        Enqueue(connection, LogMessage.Now(name, severity, message ?? ""));
    }

    // Formatted once per log and connection, not per message: a big pipeline calls ShouldProcess per message.
    private string Target(ComponentConnection connection, string name, LogSeverity severity)
    {
        if (lastTarget != (name, severity, connection))
        {
            lastTarget = (name, severity, connection);
            target = $"{WrittenKeys(name, severity, connection.IsCluster)} on component '{connection.Component}' ({connection.Endpoint})";
        }
        return target;
    }

    /// <summary>Message, Severity and Name of a piped object; -Name/-Severity given on the command line win, as with binding by property name.</summary>
    private (string Name, LogSeverity Severity, string Message)? FromObject(PSObject input)
    {
        if (input.BaseObject is string piped)
        {
            // The common case, kept free of property lookups: a piped string is the message, -Name and -Severity the rest.
            if (Name.Length > 0) return (Name, Severity, piped);
            WriteError(NameMissing(piped, input));
            return null;
        }
        var message = input.Properties["Message"]?.Value is { } m ? LanguagePrimitives.ConvertTo<string>(m) : input.ToString();
        var severity = Severity;
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Severity)) && input.Properties["Severity"]?.Value is { } given)
        {
            if (!LanguagePrimitives.TryConvertTo(given, out severity) || !System.Enum.IsDefined(severity))
            {
                WriteError(ErrorRecords.Create("LogSeverityInvalid", ErrorCategory.InvalidArgument, given,
                    $"Message '{Shorten(message)}' was not logged: Severity '{given}' is not one of Debug, Info, Warning, Error, Critical (or 10-50 as in Python)."));
                return null;
            }
        }
        var name = Name;
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Name)) && input.Properties["Name"]?.Value is { } n) name = LanguagePrimitives.ConvertTo<string>(n);
        if (string.IsNullOrEmpty(name))
        {
            WriteError(NameMissing(message, input));
            return null;
        }
        return (name, severity, message);
    }

    private static ErrorRecord NameMissing(string message, object input) =>
        ErrorRecords.Create("LogNameMissing", ErrorCategory.InvalidArgument, input,
            $"Message '{Shorten(message)}' was not logged: it names no log. Give -Name, or pipe objects with a Name property.");

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "…";
}
