using System;
using System.Collections.Generic;
using System.Globalization;

namespace RedisComponents.Counters;

/// <summary>What one cleanup pass over <c>known:</c> did.</summary>
public sealed class CounterCleanupResult
{
    /// <summary>The pass number (0 first); precision p is visited when Pass is a multiple of max(1, p/60).</summary>
    public int Pass { get; init; }

    public DateTime Started { get; init; }

    public TimeSpan Duration { get; internal set; }

    /// <summary>Counters (<c>p:NAME</c>) this pass visited.</summary>
    public int CountersChecked { get; internal set; }

    /// <summary>Counters that lost at least one old sample.</summary>
    public int CountersCleaned { get; internal set; }

    public long SamplesRemoved { get; internal set; }

    /// <summary>Empty counters (<c>p:NAME</c>) removed from <c>known:</c>.</summary>
    public List<string> RemovedCounters { get; } = new();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Pass {Pass}: checked {CountersChecked} counter(s), removed {SamplesRemoved} sample(s) from {CountersCleaned}, forgot {RemovedCounters.Count} empty counter(s)");
}
