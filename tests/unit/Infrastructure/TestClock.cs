using System;
using RedisComponents.Infrastructure;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// Tests that swap the module's clock (<see cref="ModuleClock"/> is process-wide) go in this collection:
/// it runs alone, after the parallel ones, so no other test sees the fake time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClockCollection
{
    public const string Name = "Module clock";
}

/// <summary>A settable clock. Install with <see cref="Install"/>; dispose the result to restore the system clock.</summary>
public sealed class FakeClock : TimeProvider
{
    private DateTimeOffset now;

    public FakeClock(DateTimeOffset start) => now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Set(DateTimeOffset value) => now = value;

    public void Advance(TimeSpan by) => now += by;

    public static FakeClock Install(DateTimeOffset start, out IDisposable restore)
    {
        var clock = new FakeClock(start);
        ModuleClock.Current = clock;
        restore = new Restore();
        return clock;
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => ModuleClock.Current = TimeProvider.System;
    }
}
