using System;
using RedisComponents.Infrastructure;

namespace RedisComponents.Tests.Logging;

/// <summary>
/// A fixed instant in a fixed time zone (UTC+05:30, no DST), so the asctime the module writes does not depend
/// on the machine's zone and can be compared with literal strings and with Python run under the same TZ.
/// </summary>
internal sealed class ZonedClock : TimeProvider, IDisposable
{
    /// <summary>The same zone for Python's time.localtime() (POSIX TZ: the offset's sign is inverted).</summary>
    public const string PosixTz = "<+0530>-05:30";

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("Test+05:30", TimeSpan.FromMinutes(330), "Test+05:30", "Test+05:30");

    public ZonedClock(DateTimeOffset now)
    {
        Now = now;
        ModuleClock.Current = this;
    }

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => Zone;

    public void Dispose() => ModuleClock.Current = System;
}
