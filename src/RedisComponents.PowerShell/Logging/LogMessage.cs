using System;

namespace RedisComponents.Logging;

/// <summary>One message to log, stamped with the writer's local time when it arrived (the book's <c>time.asctime()</c>).</summary>
public readonly record struct LogMessage(string Name, LogSeverity Severity, string Message, DateTime LocalTime)
{
    /// <summary><c>recent:NAME:SEVERITY</c>, the book's list of the last 100 messages.</summary>
    public string RecentKey => RecentLog.KeyFor(Name, Severity);

    /// <summary>The list entry the book pushes: <c>asctime + ' ' + message</c>.</summary>
    public string RecentEntry => AscTime.Format(LocalTime) + " " + Message;

    internal static LogMessage Now(string name, LogSeverity severity, string message) =>
        new(name, severity, message, AscTime.LocalNow());
}
