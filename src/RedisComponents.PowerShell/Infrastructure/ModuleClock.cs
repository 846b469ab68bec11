using System;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The one clock every time-dependent rule reads (refresh windows, hourly rotation, counter slots).
/// Tests swap it to cross hour boundaries without waiting for the real clock.
/// </summary>
internal static class ModuleClock
{
    private static TimeProvider current = TimeProvider.System;

    public static TimeProvider Current
    {
        get => current;
        set => current = value ?? TimeProvider.System;
    }

    public static DateTimeOffset UtcNow => current.GetUtcNow();

    /// <summary>Monotonic seconds, for refresh windows (immune to wall-clock jumps unless a test swaps the clock).</summary>
    public static double MonotonicSeconds =>
        current == TimeProvider.System
            ? Environment.TickCount64 / 1000.0
            : current.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
