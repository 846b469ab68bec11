namespace RedisComponents.Counters;

/// <summary>One queued increment of Update-RedisCounter: a counter name, hits, and when (Unix seconds).</summary>
public readonly record struct CounterIncrement(string Name, long Count, long UnixSeconds);
