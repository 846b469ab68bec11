using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using RedisComponents.Connections;

namespace RedisComponents.Logging.Commands;

/// <summary>Write-RedisRecentLog: the book's <c>log_recent</c> (5.1.1) on a component's Redis.</summary>
[Cmdlet(VerbsCommunications.Write, "RedisRecentLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(RecentLogEntry))]
public sealed class WriteRedisRecentLogCommand : LogWriterCmdlet
{
    /// <summary>Outputs each entry once it is written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // Ten times the list's length: a full batch is one MULTI/EXEC of a variadic LPUSH and an LTRIM.
    private protected override int BatchSize => 1000;

    private protected override string TargetKey(string name, LogSeverity severity) => RecentLog.KeyFor(name, severity);

    private protected override Task Send(ComponentConnection connection, IReadOnlyList<LogMessage> messages, bool last)
    {
        if (!last) return RecentLog.WriteAsync(connection.Database, messages);
        RecentLog.Write(connection.Database, messages);
        return Task.CompletedTask;
    }

    private protected override void Written(IReadOnlyList<LogMessage> messages)
    {
        if (!PassThru) return;
        foreach (var message in messages) WriteObject(RecentLogEntry.From(message));
    }
}
