using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>Update-RedisCounter: the book's <c>update_counter</c> (5.2.1) for every name in the pipeline.</summary>
[Cmdlet(VerbsData.Update, "RedisCounter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class UpdateRedisCounterCommand : BatchWriterCmdlet<CounterIncrement>
{
    /// <summary>The counter's name (the NAME of <c>count:PRECISION:NAME</c>).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CounterNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>How many hits to add; at least 1 (counters only count up, like the book's).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long Count { get; set; } = 1;

    /// <summary>When the hits happened; default now. A DateTime of kind Unspecified is taken as local time.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTime? Timestamp { get; set; }

    private protected override int BatchSize => 1000;

    private protected override string ItemsName => "counter names";

    private protected override string Describe(IReadOnlyList<CounterIncrement> items)
    {
        var names = items.Select(i => i.Name).Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", names.Take(5).Select(n => $"count:*:{n}"));
        return names.Count > 5 ? $"{shown} and {names.Count - 5} more counter(s)" : shown;
    }

    private protected override Task Send(ComponentConnection connection, IReadOnlyList<CounterIncrement> items, bool last) =>
        CounterStore.UpdateAsync(connection.Database, items);

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var when = Timestamp is DateTime t ? new DateTimeOffset(t.Kind == DateTimeKind.Utc ? t : t.ToUniversalTime()) : ModuleClock.UtcNow;
        var seconds = CounterStore.UnixSeconds(when);
        if (seconds < 0)
        {
            WriteError(ErrorRecords.Create("CounterTimestampInvalid", ErrorCategory.InvalidArgument, Timestamp,
                $"Counter '{Name}' was not updated: -Timestamp {when:u} is before 1970-01-01 and has no Unix time slot. Give a later time, or none for now."));
            return;
        }
        if (!ShouldProcess($"count:*:{Name} ({CounterStore.Precisions.Count} precisions) on component '{connection.Component}' ({connection.Endpoint})", $"Add {Count}")) return;
        Enqueue(connection, new CounterIncrement(Name, Count, seconds));
    }
}
