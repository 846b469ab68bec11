using System;

namespace RedisComponents.Counters;

/// <summary>One increment of Update-RedisCounter: a counter name, hits, and when (Unix seconds); -PassThru outputs it once written.</summary>
public readonly record struct CounterIncrement(string Name, long Count, long UnixSeconds)
{
    /// <summary>When the hits happened, UTC.</summary>
    public DateTime Time => DateTime.UnixEpoch.AddSeconds(UnixSeconds);
}
