using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>Update-RedisCounter: the book's <c>update_counter</c> (5.2.1) for every name in the pipeline.</summary>
/// <remarks>
/// Piped strings bind to -Name by value only: no parameter of that set binds by property name, so PowerShell
/// does not probe every piped string for Count or Timestamp properties. Objects bind to -InputObject.
/// </remarks>
[Cmdlet(VerbsData.Update, "RedisCounter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = NameSet)]
[OutputType(typeof(CounterIncrement))]
public sealed class UpdateRedisCounterCommand : BatchWriterCmdlet<CounterIncrement>
{
    private const string NameSet = "Name";
    private const string ObjectSet = "InputObject";

    /// <summary>The counters' names (the NAME of <c>count:PRECISION:NAME</c>); an array binds once.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CounterNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Objects with a Name property, and optionally Count and Timestamp (which override -Count and -Timestamp).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    [ValidateNotNull]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>How many hits to add; at least 1 (counters only count up, like the book's).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Count { get; set; } = 1;

    /// <summary>When the hits happened; default now. A DateTime of kind Unspecified is taken as local time.</summary>
    [Parameter]
    public DateTime? Timestamp { get; set; }

    /// <summary>Outputs each increment (Name, Count, Time) once it is written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // Folding: 1000 distinct names per 10000 piped cost 7000 (slot, total) pairs, not 70000.
    private protected override int BatchSize => 10000;

    private protected override string ItemsName => "counter names";

    private protected override string Describe(IReadOnlyList<CounterIncrement> items)
    {
        var names = items.Select(i => i.Name).Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", names.Take(5).Select(n => $"count:*:{n}"));
        return names.Count > 5 ? $"{shown} and {names.Count - 5} more counter(s)" : shown;
    }

    private protected override async Task<BatchResult> Send(ComponentConnection connection, IReadOnlyList<CounterIncrement> items, bool last, CancellationToken giveUp)
    {
        var rejections = await (connection.IsCluster
            ? ClusterCounterStore.UpdateAsync(connection.Database, items)
            : CounterStore.UpdateAsync(connection.Database, items)).ConfigureAwait(false);
        var result = new BatchResult();
        var known = rejections.Where(r => r.Key == CounterStore.KnownKey).ToList();
        if (known.Count > 0) result.Reject(KnownError(connection, known), known.Sum(r => r.Items));
        foreach (var counter in rejections.Where(r => r.Key != CounterStore.KnownKey).GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            var list = counter.ToList();
            result.Reject(CounterError(connection, list), list.Sum(r => r.Items));
        }
        if (PassThru)
        {
            var refused = rejections.Count == 0 ? null : RefusedItems(items, rejections);
            for (var i = 0; i < items.Count; i++)
            {
                if (refused is null || !refused[i]) result.Output.Add(items[i]);
            }
        }
        return result;
    }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        if (ParameterSetName == ObjectSet)
        {
            if (TryRead(InputObject, out var name, out var count, out var timestamp)) Add(connection, name, count, timestamp);
            return;
        }
        foreach (var name in Name) Add(connection, name, Count, Timestamp);
    }

    private void Add(ComponentConnection connection, string name, long count, DateTime? timestamp)
    {
        long seconds;
        if (timestamp is DateTime t)
        {
            var when = new DateTimeOffset(t.Kind == DateTimeKind.Utc ? t : t.ToUniversalTime());
            seconds = CounterStore.UnixSeconds(when);
            if (seconds < 0)
            {
                WriteError(ErrorRecords.Create("CounterTimestampInvalid", ErrorCategory.InvalidArgument, timestamp,
                    $"Counter '{name}' was not updated: -Timestamp {when:u} is before 1970-01-01 and has no Unix time slot. Give a later time, or none for now."));
                return;
            }
        }
        else
        {
            seconds = CounterStore.UnixSeconds(ModuleClock.UtcNow);
        }
        // The target is built only when -WhatIf, -Confirm or -Verbose can show it (not once per piped name otherwise).
        if (!SkipShouldProcess &&
            !ShouldProcess($"{WriteTargets.Counter(name, connection.IsCluster)} on component '{connection.Component}' ({connection.Endpoint})", $"Add {count}"))
        {
            return;
        }
        Enqueue(connection, new CounterIncrement(name, count, seconds));
    }

    /// <summary>Reads Name, Count and Timestamp of a piped object; false after writing an error.</summary>
    private bool TryRead(PSObject item, out string name, out long count, out DateTime? timestamp)
    {
        name = "";
        count = Count;
        timestamp = Timestamp;
        try
        {
            name = LanguagePrimitives.ConvertTo<string>(item.Properties["Name"]?.Value ?? (item.BaseObject is string s ? s : null));
            if (string.IsNullOrEmpty(name)) throw new PSInvalidCastException("The object has no Name property, or it is empty.");
            if (item.Properties["Count"]?.Value is { } c) count = LanguagePrimitives.ConvertTo<long>(c);
            if (count < 1) throw new PSInvalidCastException($"Count {count} is less than 1; counters only count up.");
            if (item.Properties["Timestamp"]?.Value is { } ts) timestamp = LanguagePrimitives.ConvertTo<DateTime>(ts);
            return true;
        }
        catch (Exception ex) when (ex is PSInvalidCastException or InvalidCastException or FormatException or OverflowException)
        {
            WriteError(ErrorRecords.Create("CounterInputInvalid", ErrorCategory.InvalidArgument, item,
                $"A piped object was not counted: {ex.Message} Pipe strings (counter names) or objects with Name, and optionally Count (1 or more) and Timestamp."));
            return false;
        }
    }

    private static ErrorRecord CounterError(ComponentConnection connection, IReadOnlyList<CounterRejection> rejected)
    {
        var first = rejected[0];
        var items = rejected.Sum(r => r.Items);
        if (first.Overflow)
        {
            return ErrorRecords.Create("CounterOverflow", ErrorCategory.LimitsExceeded, first.Key,
                $"{items} update(s) of counter '{first.Name}' were not applied: the count at '{first.Key}' on component '{connection.Component}' ({connection.Endpoint}) would exceed {long.MaxValue}. " +
                "Remove the counter's samples (Invoke-RedisCounterCleanup, or HDEL) before counting more.");
        }
        if (RedisErrorText.ScriptNoPerm(first.ServerMessage, "hincrby") is { } noPerm)
        {
            var denied = ErrorRecords.From(ComponentFailures.PermissionDenied(connection.Component, connection.Config, noPerm, null));
            denied.ErrorDetails = new ErrorDetails($"{items} update(s) of counter '{first.Name}' were not applied. {denied.ErrorDetails.Message}") { RecommendedAction = denied.ErrorDetails.RecommendedAction };
            return denied;
        }
        return ErrorRecords.Create("RedisCommandFailed", ErrorCategory.InvalidOperation, first.Key,
            $"{items} update(s) of counter '{first.Name}' (count:*:{first.Name}) were not applied, none of its precisions: '{first.Key}' on component '{connection.Component}' ({connection.Endpoint}) refused them ({first.ServerMessage}). " +
            "Delete or rename that key if it is not the book's counter layout.");
    }

    private static ErrorRecord KnownError(ComponentConnection connection, IReadOnlyList<CounterRejection> rejected)
    {
        var names = rejected.Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
        if (RedisErrorText.ScriptNoPerm(rejected[0].ServerMessage, "zadd") is { } noPerm)
        {
            return ErrorRecords.From(ComponentFailures.PermissionDenied(connection.Component, connection.Config, noPerm, null));
        }
        return ErrorRecords.Create("RedisCommandFailed", ErrorCategory.InvalidOperation, CounterStore.KnownKey,
            $"{rejected.Sum(r => r.Items)} update(s) of {names.Count} counter(s) ({shown}) were not applied: '{CounterStore.KnownKey}' on component '{connection.Component}' ({connection.Endpoint}) refused them ({rejected[0].ServerMessage}). " +
            "It must be the sorted set of counters; delete or rename that key if something else wrote it.");
    }

    private static bool[] RefusedItems(IReadOnlyList<CounterIncrement> items, IReadOnlyList<CounterRejection> rejections)
    {
        var refused = new bool[items.Count];
        foreach (var rejection in rejections)
        {
            foreach (var i in rejection.ItemIndices) refused[i] = true;
        }
        return refused;
    }
}
