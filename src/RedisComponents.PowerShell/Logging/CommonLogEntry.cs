using System;
using System.Globalization;

namespace RedisComponents.Logging;

/// <summary>One message of a common log with how often it was logged in the hour, as Get-RedisCommonLog returns it.</summary>
public sealed class CommonLogEntry
{
    public string Name { get; init; } = "";
    public LogSeverity Severity { get; init; }
    public string Message { get; init; } = "";
    public long Count { get; init; }

    /// <summary>The UTC hour the counts belong to (the <c>:start</c> or <c>:pstart</c> key); null if that key is missing.</summary>
    public DateTime? Hour { get; init; }

    /// <summary>True when read from the previous hour (<c>common:NAME:SEVERITY:last</c>).</summary>
    public bool Previous { get; init; }

    public string Key { get; init; } = "";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count,6} × {Message}");
}
