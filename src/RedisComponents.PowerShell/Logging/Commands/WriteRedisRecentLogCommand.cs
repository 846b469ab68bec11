using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging.Commands;

/// <summary>Write-RedisRecentLog: the book's <c>log_recent</c> (5.1.1) on a component's Redis.</summary>
[Cmdlet(VerbsCommunications.Write, "RedisRecentLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Message")]
[OutputType(typeof(RecentLogEntry))]
public sealed class WriteRedisRecentLogCommand : LogWriterCmdlet
{
    /// <summary>Outputs each entry once it is written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // Ten times the list's length: a full batch is one MULTI/EXEC of a variadic LPUSH and an LTRIM.
    private protected override int BatchSize => 1000;

    private protected override string TargetKey(string name, LogSeverity severity) => RecentLog.KeyFor(name, severity);

    private protected override string WrittenKeys(string name, LogSeverity severity, bool cluster) => WriteTargets.RecentLog(name, severity);

    private protected override Task<BatchResult> Send(ComponentConnection connection, IReadOnlyList<LogMessage> messages, bool last, CancellationToken giveUp)
    {
        // The last batch (a one-message call's only one) is waited for at once, by the client's synchronous,
        // non-spinning wait: cheaper than an awaited EXEC.
        if (last && !connection.IsCluster) return Task.FromResult(Result(connection, RecentLog.WriteNow(connection.Database, messages)));
        var write = RecentLog.WriteAsync(connection.Database, messages, connection.IsCluster);
        if (last) connection.Database.Wait(write);
        return write.IsCompletedSuccessfully ? Task.FromResult(Result(connection, write.Result)) : Finish(connection, write);
    }

    private async Task<BatchResult> Finish(ComponentConnection connection, Task<LogBatchOutcome> write) => Result(connection, await write.ConfigureAwait(false));

    private BatchResult Result(ComponentConnection connection, LogBatchOutcome outcome)
    {
        var result = new BatchResult();
        foreach (var failed in outcome.Failed) result.Reject(connection, failed.Key, failed.Messages.Count, ItemsName, failed.Error);
        if (PassThru)
        {
            foreach (var message in outcome.Written) result.Output.Add(RecentLogEntry.From(message));
        }
        return result;
    }
}
