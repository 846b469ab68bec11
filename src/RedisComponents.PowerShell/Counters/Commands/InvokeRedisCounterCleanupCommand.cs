using System;
using System.Diagnostics;
using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// Invoke-RedisCounterCleanup: the book's <c>clean_counters</c> (5.2.1). One pass by default (it cleans
/// every precision); with -Continuous it loops on the book's schedule until Ctrl+C.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RedisCounterCleanup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CounterCleanupResult))]
public sealed class InvokeRedisCounterCleanupCommand : ComponentCmdlet
{
    private const int ProgressId = 0x206;

    /// <summary>How many slots of each counter to keep: samples older than SampleCount × precision seconds go.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int SampleCount { get; set; } = CounterCleaner.DefaultSampleCount;

    /// <summary>Keep cleaning, one pass per interval, until Ctrl+C (the book's daemon).</summary>
    [Parameter]
    public SwitchParameter Continuous { get; set; }

    /// <summary>With -Continuous: the pass interval in seconds (the book's 60).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int IntervalSeconds { get; set; } = 60;

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var activity = $"Cleaning counters on component '{connection.Component}' ({connection.Endpoint})";
        var current = connection;
        var cleaner = new CounterCleaner(SampleCount)
        {
            Confirm = (target, action) => ShouldProcess($"{target} on component '{current.Component}' ({current.Endpoint})", action),
            Warn = WriteWarning,
            Progress = (done, listed) =>
            {
                if (done % 100 != 0) return;
                var percent = listed > 0 ? (int)Math.Min(100, done * 100 / listed) : -1;
                WriteProgress(new ProgressRecord(ProgressId, activity, $"{done} of about {listed} counter(s)") { PercentComplete = percent });
            },
        };
        for (var first = true; !StopToken.IsCancellationRequested; first = false)
        {
            var started = Stopwatch.StartNew();
            // Later passes resolve the component again, so a changed config applies to the next pass.
            var resolved = first ? connection : Connect(Component);
            if (resolved is not null)
            {
                current = resolved;
                if (!RunPass(cleaner, current, activity)) break;
            }
            if (!Continuous) break;
            StopToken.WaitHandle.WaitOne(PauseAfter(started.Elapsed, IntervalSeconds)); // Ctrl+C ends the wait at once

        }
    }

    /// <summary>
    /// The book's pacing, one pass per interval: the next pass starts one interval after this one started;
    /// after a pass that took longer than the interval, the next starts 1 s after it ended.
    /// </summary>
    internal static TimeSpan PauseAfter(TimeSpan passTook, int intervalSeconds)
    {
        var rest = TimeSpan.FromSeconds(intervalSeconds) - passTook;
        return rest > TimeSpan.Zero ? rest : TimeSpan.FromSeconds(1);
    }

    /// <summary>One pass, guarded on its own: with -Continuous an outage is reported and the next pass retries. False when stopped.</summary>
    private bool RunPass(CounterCleaner cleaner, ComponentConnection connection, string activity)
    {
        CounterCleanupResult? result = null;
        try
        {
            Guard(connection, () => result = cleaner.RunPass(connection.Database, StopToken, connection.IsCluster), CounterStore.KnownKey);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        if (result is null) return true;
        WriteVerbose(result.ToString());
        WriteObject(result);
        return true;
    }
}
