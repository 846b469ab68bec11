using System;

namespace RedisComponents.Logging;

/// <summary>One entry of a recent log (<c>recent:NAME:SEVERITY</c>), as Get-RedisRecentLog returns it.</summary>
public sealed class RecentLogEntry
{
    public string Name { get; init; } = "";
    public LogSeverity Severity { get; init; }

    /// <summary>The writer's local time from the entry's asctime prefix; null when the entry has none.</summary>
    public DateTime? Time { get; init; }

    public string Message { get; init; } = "";

    /// <summary>The list entry exactly as stored: <c>asctime + ' ' + message</c>.</summary>
    public string Raw { get; init; } = "";

    public string Key { get; init; } = "";

    internal static RecentLogEntry Parse(string name, LogSeverity severity, string key, string raw)
    {
        var parsed = AscTime.TryParseEntry(raw, out var time, out var message);
        return new RecentLogEntry { Name = name, Severity = severity, Time = parsed ? time : null, Message = message, Raw = raw, Key = key };
    }

    /// <summary>The entry a message becomes once written (the same parse as reading it back).</summary>
    internal static RecentLogEntry From(LogMessage message) =>
        Parse(message.Name, message.Severity, message.RecentKey, message.RecentEntry);

    public override string ToString() => $"[{Name}:{Severity.KeyPart()}] {Raw}";
}
