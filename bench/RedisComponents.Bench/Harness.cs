using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Bench;

/// <summary>A benchmark scenario: one or more rows comparing the module with a baseline.</summary>
internal interface IScenario
{
    /// <summary>Short id used on the command line and in README ("P1").</summary>
    string Id { get; }
    string Title { get; }
    IEnumerable<BenchRow> Run(BenchContext context);
}

/// <summary>One line of the results table.</summary>
internal sealed record BenchRow(string Id, string Measure, string Ours, string Baseline, string Ratio, string Goal, bool? Met);

/// <summary>What a scenario gets: a Redis of its own, raw StackExchange.Redis, and PowerShell hosts with the module.</summary>
internal sealed class BenchContext : IDisposable
{
    private readonly List<IDisposable> owned = new();

    public BenchContext(bool quick)
    {
        Quick = quick;
        Server = TestRedis.StartOwned();
        Raw = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { Server.Endpoint }, AllowAdmin = true });
        owned.Add(Raw);
    }

    /// <summary>Smaller sizes for a smoke run (CI-friendly); the README numbers come from full runs.</summary>
    public bool Quick { get; }
    public RedisServer Server { get; }
    public ConnectionMultiplexer Raw { get; }

    public int Scale(int full) => Quick ? Math.Max(1, full / 20) : full;

    /// <summary>A runspace with the module imported, the config server set, and component <paramref name="component"/> pointing at the bench Redis.</summary>
    public PsHost NewHost(string component = "bench")
    {
        var host = new PsHost(Server.Endpoint, refreshSeconds: 1);
        host.Run("Set-RedisComponentConfig -Component $c -ConnectionString $e", new() { ["c"] = component, ["e"] = Server.Endpoint }).ThrowIfFailed();
        owned.Add(host);
        return host;
    }

    public void Dispose()
    {
        foreach (var d in owned.AsEnumerable().Reverse()) d.Dispose();
        Server.Dispose();
    }
}

internal static class Measure
{
    /// <summary>Median wall time of <paramref name="runs"/> runs after one warm-up.</summary>
    public static TimeSpan Median(Action action, int runs = 5)
    {
        action();
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Us(double microseconds) => microseconds.ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    public static string PerSecond(double rate) => rate.ToString("#,0", CultureInfo.InvariantCulture) + "/s";

    public static string Ratio(double r) => r.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>Peak working set of this process so far, in MiB.</summary>
    public static double PeakWorkingSetMiB()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.PeakWorkingSet64 / 1024.0 / 1024.0;
    }
}
