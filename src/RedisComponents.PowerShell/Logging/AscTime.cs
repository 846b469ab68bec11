using System;
using System.Globalization;
using RedisComponents.Infrastructure;

namespace RedisComponents.Logging;

/// <summary>
/// Python's <c>time.asctime()</c>: <c>Tue Nov 24 10:00:00 2026</c>, local time, day of month padded with a
/// space to two characters (<c>Wed Nov  4 ...</c>), always 24 characters for four-digit years.
/// </summary>
internal static class AscTime
{
    public const int Length = 24;

    private const string ParseFormat = "ddd MMM d HH:mm:ss yyyy";

    /// <summary>Now on the module clock, in the clock's local time zone (what Python's asctime() shows).</summary>
    public static DateTime LocalNow()
    {
        var clock = ModuleClock.Current;
        return Local(clock.GetUtcNow(), clock);
    }

    /// <summary>An instant in the clock's local time zone.</summary>
    public static DateTime Local(DateTimeOffset utc, TimeProvider clock) => TimeZoneInfo.ConvertTime(utc, clock.LocalTimeZone).DateTime;

    // The last second formatted (per thread): a piped burst stamps thousands of messages within one second.
    [ThreadStatic] private static long lastSecond;
    [ThreadStatic] private static string? lastText;

    public static string Format(DateTime local)
    {
        var second = local.Ticks / TimeSpan.TicksPerSecond;
        if (second == lastSecond && lastText is not null) return lastText;
        lastText = string.Create(CultureInfo.InvariantCulture, $"{local:ddd MMM} {local.Day,2} {local:HH:mm:ss} {local.Year}");
        lastSecond = second;
        return lastText;
    }

    /// <summary>
    /// Splits a recent-log entry into its time and message. False when the entry does not start with an
    /// asctime (written by something else); then <paramref name="message"/> is the whole entry.
    /// </summary>
    public static bool TryParseEntry(string entry, out DateTime time, out string message)
    {
        time = default;
        message = entry;
        if (entry.Length < Length || (entry.Length > Length && entry[Length] != ' ')) return false;
        if (!DateTime.TryParseExact(entry.AsSpan(0, Length), ParseFormat, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out time))
        {
            return false;
        }
        message = entry.Length > Length ? entry.Substring(Length + 1) : "";
        return true;
    }
}
