using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Counters.Commands;

/// <summary>Update-RedisStatistic: the book's <c>update_stats</c> (5.2.2); piped values are folded per batch.</summary>
/// <remarks>
/// Piped numbers bind to -Value by value only: no parameter of that set binds by property name, so PowerShell
/// does not probe every piped value for Context or Type properties. Other objects bind to -InputObject.
/// </remarks>
[Cmdlet(VerbsData.Update, "RedisStatistic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ValueSet)]
[OutputType(typeof(Statistic))]
public sealed class UpdateRedisStatisticCommand : BatchWriterCmdlet<StatisticValue>
{
    private const string ValueSet = "Value";
    private const string ObjectSet = "InputObject";
    private (string Context, string Type, ComponentConnection? Connection) lastTarget;
    private string target = "";

    /// <summary>What is measured (the CONTEXT of <c>stats:CONTEXT:TYPE</c>), e.g. a page or job name.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ValueSet)]
    [Parameter(Position = 1, ParameterSetName = ObjectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticContextCompleter))]
    public string Context { get; set; } = "";

    /// <summary>The kind of value (the TYPE of <c>stats:CONTEXT:TYPE</c>), e.g. AccessTime or Bytes.</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = ValueSet)]
    [Parameter(Position = 2, ParameterSetName = ObjectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticTypeCompleter))]
    public string Type { get; set; } = "";

    /// <summary>The values to record: finite numbers ≥ 0; an array binds once.</summary>
    [Parameter(Mandatory = true, Position = 3, ValueFromPipeline = true, ParameterSetName = ValueSet)]
    [ValidateStatisticValue]
    public double[] Value { get; set; } = Array.Empty<double>();

    /// <summary>Objects with a Value property, and optionally Context and Type (used when -Context/-Type are not given).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    [ValidateNotNull]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>Outputs the statistics after each transaction (one per batch of piped values, key and hour).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>How long to keep retrying while other writers rotate the hour first (the book's timeout=5).</summary>
    [Parameter]
    [ValidateRange(0.001, 3600)]
    public double TimeoutSeconds { get; set; } = HourlyRotation.DefaultTimeout.TotalSeconds;

    // One guarded transaction (on a cluster one script) per key, hour and batch; a retry resends only the batch's totals.
    private protected override int BatchSize => 1000;

    private protected override string ItemsName => "values";

    private protected override string Describe(IReadOnlyList<StatisticValue> items) =>
        string.Join(", ", items.Select(i => i.Key).Distinct(StringComparer.Ordinal));

    private protected override async Task<BatchResult> Send(ComponentConnection connection, IReadOnlyList<StatisticValue> items, bool last, CancellationToken giveUp)
    {
        // May run on the writer's timer thread: output and errors go through the result.
        // One write per key and arrival hour, in order: each value counts in the hour it arrived. Standalone: guarded
        // transactions, one after the other (each completes synchronously). Cluster: one script per key and hour, the
        // keys' scripts all sent at once (one round trip per node), merged in the batch's order.
        var started = DateTime.UtcNow;
        var parts = items.GroupBy(i => (i.Context, i.Type)).Select(g => SendGroup(connection, g, started, giveUp)).ToList();
        var result = new BatchResult();
        foreach (var pending in parts)
        {
            var part = await pending.ConfigureAwait(false);
            result.Output.AddRange(part.Output);
            foreach (var error in part.Errors) result.Reject(error, 0);
            result.Reject(part.NotWritten);
        }
        return result;
    }

    private async Task<BatchResult> SendGroup(ComponentConnection connection, IGrouping<(string Context, string Type), StatisticValue> group, DateTime started, CancellationToken giveUp)
    {
        var result = new BatchResult();
        var key = StatisticStore.KeyFor(group.Key.Context, group.Key.Type);
        var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
        foreach (var hour in group.GroupBy(i => HourlyRotation.HourStart(i.Arrived), StringComparer.Ordinal).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var values = hour.Select(i => i.Value).ToList();
            try
            {
                var stats = connection.IsCluster
                    ? await StatisticStore.UpdateClusterAsync(connection.Database, group.Key.Context, group.Key.Type, values, timeout, giveUp, hour.First().Arrived, started)
                        .WaitAsync(giveUp).ConfigureAwait(false)
                    : StatisticStore.Update(connection.Database, group.Key.Context, group.Key.Type, values, timeout, giveUp, hour.First().Arrived);
                if (PassThru) result.Output.Add(stats);
            }
            catch (TimeoutException ex) when (ex is not RedisTimeoutException)
            {
                result.Reject(ErrorRecords.Create("StatisticContended", ErrorCategory.OperationTimeout, key,
                    $"{values.Count} value(s) were not recorded in '{key}' on component '{connection.Component}' ({connection.Endpoint}): {ex.Message} " +
                    "Retry, or give -TimeoutSeconds more time when many writers share these statistics.", ex), values.Count);
            }
            catch (RedisServerException ex) when (StatisticStore.WrongKey(ex) is { } wrong)
            {
                result.Reject(ErrorRecords.Create("RedisCommandFailed", ErrorCategory.InvalidOperation, wrong,
                    $"{values.Count} value(s) were not recorded in '{key}' on component '{connection.Component}' ({connection.Endpoint}), none of their writes: {ex.Message.Substring(ex.Message.IndexOf(' ') + 1)}. " +
                    $"Delete or rename '{wrong}' if it is not the book's statistics layout.", ex), values.Count);
            }
            catch (OperationCanceledException)
            {
                return result; // the writer gave up waiting (Ctrl+C)
            }
        }
        return result;
    }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var arrived = ModuleClock.UtcNow;
        if (ParameterSetName == ObjectSet)
        {
            if (TryRead(InputObject, out var context, out var type, out var value) && (SkipShouldProcess || ShouldProcess(Target(connection, context, type), $"Record {value}")))
            {
                Enqueue(connection, new StatisticValue(context, type, value, arrived));
            }
            return;
        }
        var values = Value;
        if (values.Length == 0) return;
        if (!SkipShouldProcess && !ShouldProcess(Target(connection, Context, Type), values.Length == 1 ? $"Record {values[0]}" : $"Record {values.Length} values")) return;
        foreach (var value in values) Enqueue(connection, new StatisticValue(Context, Type, value, arrived));
    }

    // Formatted once per key and connection, not per value: a big pipeline calls ShouldProcess per value.
    private string Target(ComponentConnection connection, string context, string type)
    {
        if (lastTarget != (context, type, connection))
        {
            lastTarget = (context, type, connection);
            target = $"{WriteTargets.Statistic(context, type, connection.IsCluster)} on component '{connection.Component}' ({connection.Endpoint})";
        }
        return target;
    }

    /// <summary>Value, Context and Type of a piped object (a number or numeric text is a value); false after writing an error.</summary>
    private bool TryRead(PSObject item, out string context, out string type, out double value)
    {
        context = Context;
        type = Type;
        value = 0;
        try
        {
            var raw = item.BaseObject is IConvertible ? item.BaseObject : item.Properties["Value"]?.Value;
            if (raw is null) throw new PSInvalidCastException("The object has no Value property.");
            value = LanguagePrimitives.ConvertTo<double>(raw);
            if (!double.IsFinite(value) || value < 0)
            {
                throw new PSInvalidCastException($"The value {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} cannot be recorded: statistics take finite numbers greater than or equal to 0 (no NaN, Infinity or negative values).");
            }
            if (string.IsNullOrEmpty(context) && item.Properties["Context"]?.Value is { } c) context = LanguagePrimitives.ConvertTo<string>(c);
            if (string.IsNullOrEmpty(type) && item.Properties["Type"]?.Value is { } t) type = LanguagePrimitives.ConvertTo<string>(t);
            if (string.IsNullOrEmpty(context) || string.IsNullOrEmpty(type))
            {
                throw new PSInvalidCastException("It names no Context or no Type: give -Context and -Type, or pipe objects with those properties.");
            }
            return true;
        }
        catch (Exception ex) when (ex is PSInvalidCastException or InvalidCastException or FormatException or OverflowException)
        {
            WriteError(ErrorRecords.Create("StatisticInputInvalid", ErrorCategory.InvalidArgument, item,
                $"A piped value was not recorded: {ex.Message} Pipe numbers, or objects with Value (and Context and Type)."));
            return false;
        }
    }
}
