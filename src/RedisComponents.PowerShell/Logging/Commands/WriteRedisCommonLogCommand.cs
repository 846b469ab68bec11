using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Logging.Commands;

/// <summary>Write-RedisCommonLog: the book's <c>log_common</c> (5.1.2) on a component's Redis.</summary>
[Cmdlet(VerbsCommunications.Write, "RedisCommonLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class WriteRedisCommonLogCommand : LogWriterCmdlet
{
    /// <summary>How long to keep retrying when other writers change the hour's start key first (the book's timeout=5).</summary>
    [Parameter]
    [ValidateRange(0.001, 3600)]
    public double TimeoutSeconds { get; set; } = HourlyRotation.DefaultTimeout.TotalSeconds;

    // Each batch is one guarded transaction per log; smaller than the recent log's so a retry resends little.
    private protected override int BatchSize => 500;

    private protected override string TargetKey(string name, LogSeverity severity) => CommonLog.KeyFor(name, severity);

    // Always synchronous: each transaction is guarded and retried, so the next batch waits for this one anyway.
    private protected override Task Send(ComponentConnection connection, IReadOnlyList<LogMessage> messages, bool last)
    {
        try
        {
            CommonLog.Write(connection.Database, messages, TimeSpan.FromSeconds(TimeoutSeconds), StopToken);
        }
        catch (TimeoutException ex) when (ex is not RedisTimeoutException)
        {
            var keys = Describe(messages);
            WriteError(ErrorRecords.Create("CommonLogContended", ErrorCategory.OperationTimeout, keys,
                $"{messages.Count} message(s) were not logged to {keys} on component '{connection.Component}' ({connection.Endpoint}): {ex.Message} " +
                "Retry, or give -TimeoutSeconds more time when many writers share this log.", ex));
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: PowerShell is stopping the pipeline; nothing more to report.
        }
        return Task.CompletedTask;
    }
}
