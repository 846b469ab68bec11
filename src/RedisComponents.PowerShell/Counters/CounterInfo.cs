using System;
using System.Collections.Generic;
using System.Globalization;

namespace RedisComponents.Counters;

/// <summary>One counter of <c>known:</c> as Get-RedisCounter lists it: its precisions and newest sample.</summary>
public sealed class CounterInfo
{
    public string Component { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>The precisions (seconds) <c>known:</c> lists for this counter, finest first.</summary>
    public IReadOnlyList<int> Precisions { get; init; } = Array.Empty<int>();

    /// <summary>The start (UTC) of the newest slot at the finest precision; null when that hash is empty.</summary>
    public DateTime? NewestTime { get; init; }

    /// <summary>The hits in that slot.</summary>
    public long? NewestCount { get; init; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} [{string.Join(",", Precisions)}]{(NewestTime is { } t ? $" {t:yyyy-MM-dd'T'HH:mm:ss'Z'}: {NewestCount}" : "")}");
}
