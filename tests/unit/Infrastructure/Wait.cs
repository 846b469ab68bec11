using System;
using System.Threading;

namespace RedisComponents.Tests.Infrastructure;

public static class Wait
{
    /// <summary>Polls until the condition holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static void Until(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            Thread.Sleep(25);
        }
    }
}
