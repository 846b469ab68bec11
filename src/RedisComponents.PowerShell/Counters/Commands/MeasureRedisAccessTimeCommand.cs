using System;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// Measure-RedisAccessTime: the book's <c>access_time</c> context manager (5.2.3). Runs the block in the
/// caller's scope, passes its output on, records the elapsed seconds, and rethrows a failure after
/// recording it.
/// </summary>
/// <remarks>
/// Derives from <see cref="RedisComponentsCmdlet"/> (declaring -Component like <see cref="ComponentCmdlet"/>)
/// because the block must run even when the component cannot be resolved: like the book, the measured
/// code comes first and only its recording needs Redis.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Measure, "RedisAccessTime", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(object))]
public sealed class MeasureRedisAccessTimeCommand : RedisComponentsCmdlet
{
    /// <summary>The component whose Redis holds the statistics (config key <c>config:redis:NAME</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string Component { get; set; } = "";

    /// <summary>What is measured (the CONTEXT of <c>stats:CONTEXT:AccessTime</c>).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticContextCompleter))]
    public string Context { get; set; } = "";

    /// <summary>The code to time; it runs dot-sourced, so variables it sets stay visible to the caller.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNull]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    protected override void ProcessRecord()
    {
        Collection<PSObject>? output = null;
        Exception? failure = null;
        var watch = Stopwatch.StartNew();
        try
        {
            output = InvokeCommand.InvokeScript(SessionState, ScriptBlock);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            failure = ex;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        if (output is not null) WriteObject(output, enumerateCollection: true);
        Record(seconds);
        if (failure is null) return;
        if (failure is IContainsErrorRecord { ErrorRecord: { } record }) ThrowTerminatingError(record);
        ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private void Record(double seconds)
    {
        var connection = Connect(Component);
        if (connection is null) return;
        var key = StatisticStore.KeyFor(Context, AccessTimes.Type);
        if (!ShouldProcess($"{key} and {AccessTimes.SlowestKey} on component '{connection.Component}' ({connection.Endpoint})", $"Record {seconds:0.######} s")) return;
        Guard(connection, () =>
        {
            try
            {
                var stats = AccessTimes.Record(connection.Database, Context, seconds, HourlyRotation.DefaultTimeout, StopToken);
                WriteVerbose($"'{Context}' took {seconds:0.######} s; average {stats.Average:0.######} s over {stats.Count} call(s) this hour.");
            }
            catch (TimeoutException ex) when (ex is not StackExchange.Redis.RedisTimeoutException)
            {
                WriteError(ErrorRecords.Create("StatisticContended", ErrorCategory.OperationTimeout, key,
                    $"The access time of '{Context}' was not recorded in '{key}' on component '{connection.Component}' ({connection.Endpoint}): {ex.Message} Retry later.", ex));
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: PowerShell is stopping the pipeline.
            }
        }, key);
    }
}
