using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters.Commands;

/// <summary>Update-RedisStatistic: the book's <c>update_stats</c> (5.2.2); piped values are folded per batch.</summary>
[Cmdlet(VerbsData.Update, "RedisStatistic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Statistic))]
public sealed class UpdateRedisStatisticCommand : BatchWriterCmdlet<StatisticValue>
{
    /// <summary>What is measured (the CONTEXT of <c>stats:CONTEXT:TYPE</c>), e.g. a page or job name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticContextCompleter))]
    public string Context { get; set; } = "";

    /// <summary>The kind of value (the TYPE of <c>stats:CONTEXT:TYPE</c>), e.g. AccessTime or Bytes.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticTypeCompleter))]
    public string Type { get; set; } = "";

    /// <summary>The value to record: a finite number ≥ 0.</summary>
    [Parameter(Mandatory = true, Position = 3, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateStatisticValue]
    public double Value { get; set; }

    /// <summary>Outputs the statistics after each transaction (one per batch of piped values and key).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>How long to keep retrying while other writers rotate the hour first (the book's timeout=5).</summary>
    [Parameter]
    [ValidateRange(0.001, 3600)]
    public double TimeoutSeconds { get; set; } = HourlyRotation.DefaultTimeout.TotalSeconds;

    // One guarded transaction per key and batch; a retry after a lost race resends only the batch's totals.
    private protected override int BatchSize => 1000;

    private protected override string ItemsName => "values";

    private protected override string Describe(IReadOnlyList<StatisticValue> items) =>
        string.Join(", ", items.Select(i => i.Key).Distinct(StringComparer.Ordinal));

    private protected override Task Send(ComponentConnection connection, IReadOnlyList<StatisticValue> items, bool last)
    {
        // Synchronous: each key's transaction is guarded and retried (hourly rotation), and -PassThru writes its result.
        foreach (var group in items.GroupBy(i => (i.Context, i.Type)))
        {
            var key = StatisticStore.KeyFor(group.Key.Context, group.Key.Type);
            try
            {
                var stats = StatisticStore.Update(connection.Database, group.Key.Context, group.Key.Type, group.Select(i => i.Value).ToList(),
                    TimeSpan.FromSeconds(TimeoutSeconds), StopToken);
                if (PassThru) WriteObject(stats);
            }
            catch (TimeoutException ex) when (ex is not RedisTimeoutException)
            {
                WriteError(ErrorRecords.Create("StatisticContended", ErrorCategory.OperationTimeout, key,
                    $"{group.Count()} value(s) were not recorded in '{key}' on component '{connection.Component}' ({connection.Endpoint}): {ex.Message} " +
                    "Retry, or give -TimeoutSeconds more time when many writers share these statistics.", ex));
            }
            catch (OperationCanceledException)
            {
                break; // Ctrl+C: PowerShell is stopping the pipeline.
            }
        }
        return Task.CompletedTask;
    }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var item = new StatisticValue(Context, Type, Value);
        if (!ShouldProcess($"{item.Key} on component '{connection.Component}' ({connection.Endpoint})", $"Record {Value}")) return;
        Enqueue(connection, item);
    }
}
