using System.Globalization;

namespace RedisComponents.Counters;

/// <summary>One context of <c>slowest:AccessTime</c>: its rank (1 = slowest) and average access time.</summary>
public sealed class AccessTimeEntry(int rank, string context, double averageSeconds)
{
    public int Rank { get; } = rank;
    public string Context { get; } = context;
    public double AverageSeconds { get; } = averageSeconds;
    public double AverageMilliseconds => AverageSeconds * 1000;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{Rank} {Context}: {AverageSeconds * 1000:0.###} ms");
}
