using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using RedisComponents.Infrastructure;
using RedisComponents.Connections;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// Book 5.2.1 <c>clean_counters</c>, one pass at a time: keeps the newest <c>sampleCount × p</c> seconds of
/// every counter of precision p, visiting precision p only every <c>max(1, p/60)</c> passes (pass 0
/// visits all). Fixes the book's leak: a counter whose hash is empty (also one that was already empty
/// or missing) leaves <c>known:</c>, in a transaction conditioned on HLEN = 0 so a concurrent update's
/// entry is never lost (on a cluster by <see cref="ClusterCounterForget"/>). A member whose key is not a hash is skipped
/// with a warning. Walks <c>known:</c> with ZSCAN, which returns every member present for the whole
/// walk even while other cleaners remove members (the book's index walk skips members then).
/// </summary>
internal sealed class CounterCleaner
{
    public const int DefaultSampleCount = 120;
    private const int DeleteChunk = 1000;

    private readonly int sampleCount;
    private bool cluster;

    public CounterCleaner(int sampleCount = DefaultSampleCount)
    {
        if (sampleCount < 1) throw new ArgumentOutOfRangeException(nameof(sampleCount));
        this.sampleCount = sampleCount;
    }

    /// <summary>Passes run so far; the next pass has this number.</summary>
    public int Passes { get; private set; }

    /// <summary>How long the last pass took (also a failed one), for pacing.</summary>
    public TimeSpan LastDuration { get; private set; }

    /// <summary>Asked before each change with (target, action); false skips it (-WhatIf, -Confirm).</summary>
    public Func<string, string, bool> Confirm { get; init; } = (_, _) => true;

    /// <summary>Receives warnings about <c>known:</c> members this cleaner cannot interpret.</summary>
    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>Receives (counters visited so far, members listed in <c>known:</c> at the start).</summary>
    public Action<int, long> Progress { get; init; } = (_, _) => { };

    public CounterCleanupResult RunPass(IDatabase db, CancellationToken cancel = default, bool cluster = false)
    {
        var watch = Stopwatch.StartNew();
        this.cluster = cluster;
        try
        {
            var result = Pass(db, cancel);
            result.Duration = watch.Elapsed;
            return result;
        }
        finally
        {
            LastDuration = watch.Elapsed;
        }
    }

    private CounterCleanupResult Pass(IDatabase db, CancellationToken cancel)
    {
        var result = new CounterCleanupResult { Pass = Passes, Started = ModuleClock.UtcNow.UtcDateTime };
        var listed = db.SortedSetLength(CounterStore.KnownKey);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in db.SortedSetScan(CounterStore.KnownKey, pageSize: 250))
        {
            cancel.ThrowIfCancellationRequested();
            var member = (string)entry.Element!;
            if (!seen.Add(member)) continue; // ZSCAN may return a member twice.
            Progress(seen.Count, listed);
            if (!TryPrecision(member, out var precision)) continue;
            if (Passes % Math.Max(1, precision / 60) != 0) continue;
            result.CountersChecked++;
            Clean(db, member, precision, result);
        }
        Passes++;
        return result;
    }

    private void Clean(IDatabase db, string member, int precision, CounterCleanupResult result)
    {
        var key = "count:" + member;
        var cutoff = ModuleClock.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - (double)sampleCount * precision;
        RedisValue[] fields;
        try
        {
            fields = db.HashKeys(key);
        }
        catch (RedisServerException ex) when (RedisFaults.IsWrongType(ex))
        {
            // Not a counter's hash (on a cluster also listed for a moment by an update the key refuses): left alone.
            Warn($"Skipped '{member}' in {CounterStore.KnownKey}: '{key}' is not a hash, so it holds no samples of update_counter. Delete or rename it if nothing uses it.");
            return;
        }
        var old = fields
            .Select(f => long.TryParse((string?)f, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : (long?)null)
            .Where(t => t is not null && t.Value <= cutoff)
            .Select(t => t!.Value)
            .ToList();
        var remaining = fields.Length - old.Count;
        if (old.Count > 0)
        {
            var action = string.Create(CultureInfo.InvariantCulture, $"Remove {old.Count} sample(s) older than {sampleCount} × {precision} s");
            if (!Confirm(key, action)) return;
            foreach (var chunk in old.Chunk(DeleteChunk))
            {
                result.SamplesRemoved += db.HashDelete(key, chunk.Select(t => (RedisValue)t).ToArray());
            }
            result.CountersCleaned++;
        }
        if (remaining == 0 && Forget(db, member, key)) result.RemovedCounters.Add(member);
    }

    /// <summary>Removes an empty counter from <c>known:</c> unless an update gave it a sample meanwhile.</summary>
    private bool Forget(IDatabase db, string member, string key)
    {
        if (!Confirm(CounterStore.KnownKey, $"Remove the empty counter '{member}'")) return false;
        if (cluster) return db.Wait(ClusterCounterForget.ForgetAsync(db, new[] { member })).Count == 1;
        var tran = db.CreateTransaction();
        tran.AddCondition(Condition.HashLengthEqual(key, 0));
        var removed = tran.SortedSetRemoveAsync(CounterStore.KnownKey, member);
        return ServerErrorLog.Execute(db, tran) && db.Wait(removed);
    }

    private bool TryPrecision(string member, out int precision)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && int.TryParse(member.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out precision) && precision > 0)
        {
            return true;
        }
        precision = 0;
        Warn($"Skipped '{member}' in {CounterStore.KnownKey}: it is not 'PRECISION:NAME' as update_counter writes it. Remove it with ZREM if nothing uses it.");
        return false;
    }
}
