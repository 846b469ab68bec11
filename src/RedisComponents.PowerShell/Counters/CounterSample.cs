using System;
using System.Globalization;

namespace RedisComponents.Counters;

/// <summary>One sample of a counter: how many hits fell in the slot that starts at <see cref="Time"/>.</summary>
public sealed class CounterSample
{
    internal CounterSample(string name, int precision, long timestamp, long count)
    {
        Name = name;
        Precision = precision;
        Timestamp = timestamp;
        Count = count;
    }

    public string Name { get; }

    /// <summary>The slot length in seconds.</summary>
    public int Precision { get; }

    /// <summary>The start of the slot, UTC.</summary>
    public DateTime Time => DateTime.UnixEpoch.AddSeconds(Timestamp);

    /// <summary>The start of the slot, Unix seconds (the hash field).</summary>
    public long Timestamp { get; }

    public long Count { get; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} [{Precision} s] {Time:yyyy-MM-dd'T'HH:mm:ss'Z'}: {Count}");
}
