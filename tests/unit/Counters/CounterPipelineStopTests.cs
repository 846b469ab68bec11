using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>Names accepted by Update-RedisCounter are counted however the pipeline ends.</summary>
public sealed class CounterPipelineStopTests
{
    private readonly RedisServer server = TestRedis.Shared;

    private long Hits(string name) => (long)server.Db().HashValues($"count:86400:{name}").Sum(v => (long)v);

    [Fact]
    public void AnUpstreamThrowAfterFourNamesLeavesFourCounters()
    {
        using var ps = CounterHosts.WithComponent(server);
        var prefix = CounterHosts.Unique("up");
        var result = ps.Run("1..5 | ForEach-Object { if ($_ -eq 5) { throw 'x' }; \"$p-c$_\" } | Update-RedisCounter -Component app", new() { ["p"] = prefix });

        Assert.NotNull(result.Terminating);
        Assert.Equal(new long[] { 1, 1, 1, 1, 0 }, Enumerable.Range(1, 5).Select(i => Hits($"{prefix}-c{i}")));
        var known = server.Db().SortedSetRangeByRank("known:").Select(m => (string)m!).Where(m => m.Contains(prefix)).ToList();
        Assert.Equal(4 * CounterStore.Precisions.Count, known.Count);
    }

    [Fact]
    public void BreakDownstreamOfPassThruStillCountsEveryAcceptedName()
    {
        using var ps = CounterHosts.WithComponent(server);
        var prefix = CounterHosts.Unique("first");
        var emitted = new List<string>();
        // 25000 names: the first batch (10000) is written mid-stream, and a break at its second -PassThru
        // output stops the pipeline (Select-Object -First is the same in tests/pester/Counters.Tests.ps1).
        var result = ps.Run("""
            $seen = 0
            foreach ($once in 1) {
                1..25000 | ForEach-Object { $n = "$p-$($_ % 50)"; $emitted.Add($n); $n } | Update-RedisCounter -Component app -PassThru |
                    ForEach-Object { $_; if (++$seen -eq 2) { break } }
            }
            """, new() { ["p"] = prefix, ["emitted"] = emitted }).ThrowIfFailed();

        Assert.True(result.All<CounterIncrement>().Count >= 2);
        Assert.True(emitted.Count < 25000, "the break did not stop the pipeline");
        Assert.InRange(emitted.Count, 2, 25000);
        foreach (var name in emitted.Distinct())
        {
            Assert.Equal(emitted.Count(n => n == name), Hits(name));
        }
    }

    [Fact]
    public void CtrlCStillCountsTheNamesAcceptedBeforeIt()
    {
        using var host = CounterHosts.WithComponent(server);
        var prefix = CounterHosts.Unique("stop");
        using var ready = new ManualResetEventSlim();
        host.Runspace.SessionStateProxy.SetVariable("p", prefix);
        host.Runspace.SessionStateProxy.SetVariable("ready", ready);
        using var ps = PowerShell.Create(host.Runspace);
        ps.AddScript("& { \"$p-a\"; \"$p-b\"; \"$p-a\"; $ready.Set(); Start-Sleep -Seconds 30 } | Update-RedisCounter -Component app");
        var running = ps.BeginInvoke();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(10)), "the names were not emitted");

        ps.Stop();

        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "still running 5 s after Stop");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal((2L, 1L), (Hits($"{prefix}-a"), Hits($"{prefix}-b")));
    }
}
