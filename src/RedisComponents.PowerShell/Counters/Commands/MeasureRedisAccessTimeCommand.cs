using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.ExceptionServices;
using System.Threading;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// Measure-RedisAccessTime: the book's <c>access_time</c> context manager (5.2.3). Runs the block in the
/// caller's scope like a normal block runner: its output goes down the pipeline as it is produced, its
/// errors to this command's error stream (so <c>2&gt;$null</c> and -ErrorVariable apply), and the elapsed
/// seconds are recorded in a finally, also when the block throws or the pipeline is stopped (Ctrl+C).
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
    /// <summary>How long a recording may take once the pipeline is stopping (Ctrl+C).</summary>
    private static readonly TimeSpan StoppingBudget = TimeSpan.FromSeconds(1);

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
        var watch = Stopwatch.StartNew();
        var stopped = false;
        try
        {
            // Dot-sourced in the current (caller's) scope; output and errors are written to this command's
            // streams while the block runs. `$args[0]` keeps the runner from defining a variable of its own.
            InvokeCommand.InvokeScript(". $args[0]", false, PipelineResultTypes.Output | PipelineResultTypes.Error, null, ScriptBlock);
            // A command interrupted by the stop (Start-Sleep, a wait) may just return: the pipeline is still stopped.
            if (Stopping) throw new PipelineStoppedException();
        }
        catch (PipelineStoppedException)
        {
            stopped = true;
            throw;
        }
        catch (RuntimeException ex) when (ex.ErrorRecord is { } record && ex is not PipelineStoppedException)
        {
            Record(watch.Elapsed.TotalSeconds, stopping: false);
            watch = null;
            // A throw inside the block ends this command like a throw in a plain `& { }` would.
            ThrowTerminatingError(record);
        }
        finally
        {
            if (watch is not null) Record(watch.Elapsed.TotalSeconds, stopped || StopToken.IsCancellationRequested);
        }
    }

    private void Record(double seconds, bool stopping)
    {
        if (stopping)
        {
            RecordWhileStopping(seconds);
            return;
        }
        var connection = Connect(Component);
        if (connection is null) return;
        var key = StatisticStore.KeyFor(Context, AccessTimes.Type);
        if (!ShouldProcess($"{WriteTargets.AccessTime(Context, connection.IsCluster)} on component '{connection.Component}' ({connection.Endpoint})", $"Record {seconds:0.######} s")) return;
        Guard(connection, () =>
        {
            try
            {
                var stats = AccessTimes.Record(connection.Database, Context, seconds, HourlyRotation.DefaultTimeout, StopToken, connection.IsCluster);
                WriteVerbose($"'{Context}' took {seconds:0.######} s; average {stats.Average:0.######} s over {stats.Count} call(s) this hour.");
            }
            catch (TimeoutException ex) when (ex is not StackExchange.Redis.RedisTimeoutException)
            {
                WriteError(ErrorRecords.Create("StatisticContended", ErrorCategory.OperationTimeout, key,
                    $"The access time of '{Context}' was not recorded in '{key}' on component '{connection.Component}' ({connection.Endpoint}): {ex.Message} Retry later.", ex));
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C while recording: PowerShell is stopping the pipeline.
            }
        }, AccessTimes.SlowestKey);
    }

    /// <summary>
    /// Ctrl+C: the pipeline takes no more output or errors, so the time is recorded quietly (no prompts:
    /// -Confirm cannot be answered any more; -WhatIf still records nothing). The stop waits for the
    /// recording at most <see cref="StoppingBudget"/>; a recording still running then (a loaded server)
    /// finishes in the background within the usual bound, so the stop stays prompt and the time is not lost.
    /// </summary>
    private void RecordWhileStopping(double seconds)
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter { IsPresent: true }) return;
        var session = Session;
        var component = Component;
        var context = Context;
        var recording = System.Threading.Tasks.Task.Run(() =>
        {
            try
            {
                using var budget = new CancellationTokenSource(HourlyRotation.DefaultTimeout);
                using var connection = session.Resolve(component, _ => { }, budget.Token);
                AccessTimes.Record(connection.Database, context, seconds, HourlyRotation.DefaultTimeout, budget.Token, connection.IsCluster);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Nothing can be reported on a stopped pipeline; the block's own stop is what the user sees.
            }
        });
        recording.Wait(StoppingBudget);
    }
}
