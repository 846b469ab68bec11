using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Bench.Scenarios;

/// <summary>P2: config GETs per refresh window while a session calls a component as fast as it can.</summary>
internal sealed class P2ConfigReads : IScenario
{
    public string Id => "P2";
    public string Title => "config server GETs per refresh window";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var host = context.NewHost();
        host.Run("Import-Module $m", new() { ["m"] = typeof(P2ConfigReads).Assembly.Location }).ThrowIfFailed();
        host.Run("Invoke-BenchComponentPing -Component bench").ThrowIfFailed(); // warm: connection made, config cached
        var seconds = context.Quick ? 2.0 : 5.0;

        context.Server.ResetStats();
        var sw = Stopwatch.StartNew();
        var calls = System.Convert.ToInt32(host.Run("""
            $deadline = [DateTime]::UtcNow.AddSeconds($s); $calls = 0
            while ([DateTime]::UtcNow -lt $deadline) { $null = Invoke-BenchComponentPing -Component bench; $calls++ }
            $calls
            """, new() { ["s"] = seconds }).ThrowIfFailed().Output[0].BaseObject, CultureInfo.InvariantCulture);
        var elapsed = sw.Elapsed.TotalSeconds;
        var gets = context.Server.CommandCalls("get");
        var windows = Math.Ceiling(elapsed); // RefreshSeconds = 1
        var perWindow = gets / windows;
        yield return new BenchRow(Id, $"{calls.ToString("#,0", CultureInfo.InvariantCulture)} calls in {elapsed:0.0} s (refresh 1 s)",
            $"{gets} GETs = {perWindow:0.00}/window", "book: 1 GET/window", Measure.Ratio(perWindow), "≤ 1 GET/window", perWindow <= 1.0);
    }
}
