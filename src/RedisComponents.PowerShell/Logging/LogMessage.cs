using System;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging;

/// <summary>
/// One message to log, stamped when it arrived: the writer's local time (the book's <c>time.asctime()</c>)
/// and the UTC instant (the hour a common log counts it in); <see cref="Utc"/> defaults to the module clock.
/// </summary>
public readonly record struct LogMessage(string Name, LogSeverity Severity, string Message, DateTime LocalTime, DateTimeOffset Utc = default)
{
    /// <summary><c>recent:NAME:SEVERITY</c>, the book's list of the last 100 messages.</summary>
    public string RecentKey => RecentLog.KeyFor(Name, Severity);

    /// <summary>The list entry the book pushes: <c>asctime + ' ' + message</c>.</summary>
    public string RecentEntry => AscTime.Format(LocalTime) + " " + Message;

    /// <summary>When the message arrived, for the common log's hour.</summary>
    internal DateTimeOffset ArrivedUtc => Utc == default ? ModuleClock.UtcNow : Utc;

    internal static LogMessage Now(string name, LogSeverity severity, string message)
    {
        var clock = ModuleClock.Current;
        var utc = clock.GetUtcNow();
        return new(name, severity, message, AscTime.Local(utc, clock), utc);
    }
}
