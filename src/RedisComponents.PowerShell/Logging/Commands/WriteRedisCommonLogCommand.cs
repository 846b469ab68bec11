using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Logging.Commands;

/// <summary>Write-RedisCommonLog: the book's <c>log_common</c> (5.1.2) on a component's Redis.</summary>
[Cmdlet(VerbsCommunications.Write, "RedisCommonLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Message")]
[OutputType(typeof(CommonLogEntry))]
public sealed class WriteRedisCommonLogCommand : LogWriterCmdlet
{
    /// <summary>How long to keep retrying when other writers change the hour's start key first (the book's timeout=5).</summary>
    [Parameter]
    [ValidateRange(0.001, 3600)]
    public double TimeoutSeconds { get; set; } = HourlyRotation.DefaultTimeout.TotalSeconds;

    /// <summary>Outputs, for each message once written, its count in the hour it was logged.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // Each batch is one guarded transaction (on a cluster one script) per log and hour; smaller than the recent log's so a retry resends little.
    private protected override int BatchSize => 500;

    // The key errors and progress name: the cluster layout's on a cluster (common:{recent:N:S}).
    private protected override string TargetKey(string name, LogSeverity severity) => CommonLog.KeyFor(name, severity, CurrentConnection?.IsCluster == true);

    private protected override string WrittenKeys(string name, LogSeverity severity, bool cluster) => WriteTargets.CommonLog(name, severity, cluster);

    // Synchronous: each transaction is guarded and retried, so the next batch waits for this one anyway.
    private protected override Task<BatchResult> Send(ComponentConnection connection, IReadOnlyList<LogMessage> messages, bool last, CancellationToken giveUp)
    {
        var outcome = CommonLog.Write(connection.Database, messages, TimeSpan.FromSeconds(TimeoutSeconds), giveUp, connection.IsCluster);
        var result = new BatchResult();
        foreach (var failed in outcome.Failed)
        {
            if (failed.Error is TimeoutException and not RedisTimeoutException)
            {
                result.Reject(ErrorRecords.Create("CommonLogContended", ErrorCategory.OperationTimeout, failed.Key,
                    $"{failed.Messages.Count} message(s) were not logged to {failed.Key} on component '{connection.Component}' ({connection.Endpoint}): {failed.Error.Message} " +
                    "Retry, or give -TimeoutSeconds more time when many writers share this log.", failed.Error), failed.Messages.Count);
            }
            else
            {
                result.Reject(connection, failed.Key, failed.Messages.Count, ItemsName, failed.Error);
            }
        }
        if (PassThru) result.Output.AddRange(outcome.Counted);
        return Task.FromResult(result);
    }
}
