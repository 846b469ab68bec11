using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging.Commands;

/// <summary>What every logging cmdlet takes besides -Component: the log's name and severity.</summary>
public abstract class LogCmdlet : ComponentCmdlet
{
    /// <summary>The log's name (the book's <c>name</c>), the middle part of <c>recent:NAME:SEVERITY</c>.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LogNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>One of the book's five severities; an enum, so anything else is a parameter error.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public LogSeverity Severity { get; set; } = LogSeverity.Info;
}
