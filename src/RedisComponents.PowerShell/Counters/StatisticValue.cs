using System;

namespace RedisComponents.Counters;

/// <summary>One queued value of Update-RedisStatistic, stamped when it arrived (the hour it counts in).</summary>
public readonly record struct StatisticValue(string Context, string Type, double Value, DateTimeOffset Arrived)
{
    public string Key => StatisticStore.KeyFor(Context, Type);
}
