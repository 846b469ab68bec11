using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>The statistics of one context and type for one UTC hour (the book's <c>get_stats</c>).</summary>
public sealed class Statistic
{
    public string Context { get; init; } = "";
    public string Type { get; init; } = "";
    public long Count { get; init; }
    public double Sum { get; init; }
    public double SumOfSquares { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }
    public double Average => Sum / Count;

    /// <summary>Sample standard deviation, <c>sqrt((sumsq - sum²/count) / max(count-1, 1))</c>; rounding never makes it NaN.</summary>
    public double StdDev
    {
        get
        {
            var numerator = Math.Max(0, SumOfSquares - Sum * Sum / Count);
            return Math.Sqrt(numerator / Math.Max(Count - 1, 1));
        }
    }

    /// <summary>The UTC hour these statistics cover (from the start key), when known.</summary>
    public DateTime? Hour { get; init; }

    /// <summary>True for the previous hour's statistics (<c>...:last</c>).</summary>
    public bool Previous { get; init; }

    public string Key { get; init; } = "";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Context}:{Type} count={Count} avg={Average:G6} min={Min:G6} max={Max:G6} stddev={StdDev:G6}");

    /// <summary>Builds from the members of the sorted set; null when it holds no count.</summary>
    internal static Statistic? From(string context, string type, SortedSetEntry[] entries, string? hourStart, bool previous, string key)
    {
        var scores = entries.ToDictionary(e => (string)e.Element!, e => e.Score, StringComparer.Ordinal);
        if (!scores.TryGetValue("count", out var count) || count < 1) return null;
        return new Statistic
        {
            Context = context,
            Type = type,
            Count = (long)count,
            Sum = scores.GetValueOrDefault("sum"),
            SumOfSquares = scores.GetValueOrDefault("sumsq"),
            Min = scores.GetValueOrDefault("min"),
            Max = scores.GetValueOrDefault("max"),
            Hour = ParseHour(hourStart),
            Previous = previous,
            Key = key,
        };
    }

    private static DateTime? ParseHour(string? hourStart) =>
        DateTime.TryParseExact(hourStart, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var hour) ? hour : null;
}
