namespace RedisComponents.Counters;

/// <summary>One queued value of Update-RedisStatistic.</summary>
public readonly record struct StatisticValue(string Context, string Type, double Value)
{
    public string Key => StatisticStore.KeyFor(Context, Type);
}
