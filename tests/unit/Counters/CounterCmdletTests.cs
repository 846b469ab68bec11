using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

public class CounterCmdletTests
{
    [Fact]
    public void UpdateThenGetReturnsSamplesSortedByTime()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var name = CounterHosts.Unique("hits");
        var t1 = new DateTime(2024, 3, 1, 12, 0, 7, DateTimeKind.Utc);
        ps.Run("Update-RedisCounter -Component app -Name $n -Count 3 -Timestamp $t1; Update-RedisCounter -Component app $n -Timestamp $t0; Update-RedisCounter -Component app $n -Timestamp $t1",
            new() { ["n"] = name, ["t1"] = t1, ["t0"] = t1.AddSeconds(-6) }).ThrowIfFailed();

        var samples = ps.Run("Get-RedisCounter -Component app $n -Precision 5", new() { ["n"] = name }).ThrowIfFailed().All<CounterSample>();

        Assert.Equal(new[] { t1.AddSeconds(-7), t1.AddSeconds(-2) }, samples.Select(s => s.Time));
        Assert.Equal(new[] { 1L, 4L }, samples.Select(s => s.Count));
        Assert.Equal(new DateTimeOffset(t1.AddSeconds(-2)).ToUnixTimeSeconds(), samples[1].Timestamp);
        Assert.All(samples, s => Assert.Equal(name, s.Name));
        var day = ps.Run("Get-RedisCounter -Component app $n -Precision 86400", new() { ["n"] = name }).ThrowIfFailed().Single<CounterSample>();
        Assert.Equal((new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), 5L), (day.Time, day.Count));
    }

    [Fact]
    public void APipedStreamIsFoldedIntoAFewShortScriptsPerBatch()
    {
        using var server = TestRedis.StartOwned();
        using var ps = CounterHosts.WithComponent(server);
        var names = Enumerable.Range(0, 2500).Select(i => $"page-{i % 50}").ToArray();
        ps.Run("Test-RedisComponent app -Quiet").ThrowIfFailed();
        server.ResetStats();

        // One binding: the batches are full at once, so how many there are does not depend on the 200 ms timer.
        var result = ps.Run("Update-RedisCounter -Component app -Name $names", new() { ["names"] = names }).ThrowIfFailed();

        // 50 counters x 7 precisions (one slot each unless a second boundary passes) in scripts of at most 210 totals.
        Assert.InRange(server.CommandCalls("evalsha") + server.CommandCalls("eval"), 2, 4);
        Assert.Equal(0, server.CommandCalls("exec"));
        Assert.Equal(50, server.Db().HashGetAll("count:60:page-7").Sum(e => (long)e.Value));
        Assert.Equal(350, server.Db().SortedSetLength("known:"));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void AnArrayOfNamesBindsOnceAndCountsEveryElement()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var a = CounterHosts.Unique("a");
        var b = CounterHosts.Unique("b");
        var written = ps.Run("Update-RedisCounter -Component app -Name $a, $b, $a -Count 2 -PassThru", new() { ["a"] = a, ["b"] = b })
            .ThrowIfFailed().All<CounterIncrement>();
        Assert.Equal(new[] { a, b, a }, written.Select(w => w.Name));
        Assert.All(written, w => Assert.Equal(2, w.Count));
        Assert.Equal(4, server.Db().HashGetAll($"count:3600:{a}").Sum(e => (long)e.Value));
        Assert.Equal(2, server.Db().HashGetAll($"count:3600:{b}").Sum(e => (long)e.Value));
    }

    [Fact]
    public void PipedObjectsBindToInputObjectWithTheirOwnCountAndTimestamp()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var a = CounterHosts.Unique("obj");
        var t = new DateTime(2024, 3, 1, 12, 0, 7, DateTimeKind.Utc);
        var result = ps.Run("[pscustomobject]@{ Name = $a; Count = 3; Timestamp = $t }, [pscustomobject]@{ Name = $a }, [pscustomobject]@{ Count = 2 } | Update-RedisCounter -Component app -Timestamp $t",
            new() { ["a"] = a, ["t"] = t });
        Assert.Equal("CounterInputInvalid,RedisComponents.Counters.Commands.UpdateRedisCounterCommand", result.SingleError().FullyQualifiedErrorId);
        var unix = new DateTimeOffset(t).ToUnixTimeSeconds();
        Assert.Equal(4, (long)server.Db().HashGet($"count:60:{a}", unix / 60 * 60));
    }

    [Fact]
    public void TwoMaximalCountsForOneNameAreOneCounterOverflowAndOtherNamesGoIn()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var n = CounterHosts.Unique("max");
        var o = CounterHosts.Unique("other");
        var result = ps.Run("$n, $o, $n | Update-RedisCounter -Component app -Count ([long]::MaxValue) -PassThru; 'went on'", new() { ["n"] = n, ["o"] = o });

        Assert.Null(result.Terminating);
        var error = result.SingleError();
        Assert.StartsWith("CounterOverflow,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains(n, error.ErrorDetails.Message);
        Assert.Equal(new object[] { n, o, "went on" }, result.Output.Select(x => x.BaseObject is CounterIncrement c ? c.Name : x.BaseObject));
        Assert.Equal(long.MaxValue, server.Db().HashGetAll($"count:86400:{n}").Sum(e => (long)e.Value));
        Assert.Equal(long.MaxValue, server.Db().HashGetAll($"count:86400:{o}").Sum(e => (long)e.Value));
    }

    [Fact]
    public void GoodNamesAroundABadOneAreStillCounted()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var a = CounterHosts.Unique("a");
        var result = ps.Run("$a, '', $a | Update-RedisCounter -Component app", new() { ["a"] = a });
        Assert.Single(result.Errors);
        Assert.Equal(2, server.Db().HashGetAll($"count:3600:{a}").Sum(e => (long)e.Value));
    }

    [Fact]
    public void AForeignKeyInTheWayIsANonTerminatingErrorNamingIt()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var name = CounterHosts.Unique("clash");
        server.Db().StringSet($"count:60:{name}", "not a hash");
        var result = ps.Run("Update-RedisCounter -Component app -Name $n; 'went on'", new() { ["n"] = name });
        Assert.Equal("went on", result.Single<string>());
        var error = result.SingleError();
        Assert.StartsWith("RedisCommandFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains($"count:*:{name}", error.ErrorDetails.Message);
        Assert.Contains($"'count:60:{name}'", error.ErrorDetails.Message);
        Assert.Contains("WRONGTYPE", error.ErrorDetails.Message);
        foreach (var p in new[] { 1, 5, 300, 3600, 18000, 86400 }) Assert.False(server.Db().KeyExists($"count:{p}:{name}"));
        Assert.Null(server.Db().SortedSetScore("known:", $"1:{name}"));
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var name = CounterHosts.Unique("whatif");
        ps.Run("Update-RedisCounter -Component app -Name $n -WhatIf", new() { ["n"] = name }).ThrowIfFailed();
        Assert.False(server.Db().KeyExists($"count:1:{name}"));
        Assert.Null(server.Db().SortedSetScore("known:", $"1:{name}"));
    }

    [Fact]
    public void CleanupReportsWhatOnePassRemovedAndWhatIfRemovesNothing()
    {
        using var server = TestRedis.StartOwned();
        using var ps = CounterHosts.WithComponent(server);
        var old = DateTime.UtcNow.AddDays(-400);
        ps.Run("'gone', 'kept' | Update-RedisCounter -Component app -Timestamp $old; Update-RedisCounter -Component app kept", new() { ["old"] = old }).ThrowIfFailed();

        ps.Run("Invoke-RedisCounterCleanup -Component app -WhatIf").ThrowIfFailed();
        Assert.Equal(14, server.Db().SortedSetLength("known:"));

        var result = ps.Run("Invoke-RedisCounterCleanup -Component app").ThrowIfFailed().Single<CounterCleanupResult>();
        Assert.Equal(14, result.CountersChecked);
        Assert.Equal(14, result.SamplesRemoved);
        Assert.Equal(CounterStore.Precisions.Select(p => $"{p}:gone").OrderBy(x => x, StringComparer.Ordinal), result.RemovedCounters.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(7, server.Db().SortedSetLength("known:"));
        Assert.Contains("removed 14 sample(s)", result.ToString());
    }

    [Fact]
    public void ContinuousCleanupStopsPromptlyOnCtrlC()
    {
        using var server = TestRedis.StartOwned();
        using var host = CounterHosts.WithComponent(server);
        using var ps = PowerShell.Create(host.Runspace);
        ps.AddScript("Invoke-RedisCounterCleanup -Component app -Continuous -IntervalSeconds 60");
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        Wait.Until(() => output.Count >= 1, "the first pass");

        var watch = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "still running 5 s after Stop");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {watch.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal(0, Assert.IsType<CounterCleanupResult>(Assert.Single(output).BaseObject).Pass);
    }

    [Fact]
    public void ContinuousCleanupRunsOnePassPerInterval()
    {
        using var server = TestRedis.StartOwned();
        using var host = CounterHosts.WithComponent(server);
        using var ps = PowerShell.Create(host.Runspace);
        ps.AddScript("Invoke-RedisCounterCleanup -Component app -Continuous -IntervalSeconds 2");
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        try
        {
            Wait.Until(() => output.Count >= 2, "two passes", seconds: 20);
            var first = Assert.IsType<CounterCleanupResult>(output[0].BaseObject);
            var second = Assert.IsType<CounterCleanupResult>(output[1].BaseObject);
            // It used to start passes IntervalSeconds - 1 s apart. (Clock granularity: 50 ms.)
            Assert.True(second.Started - first.Started >= TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(50),
                $"passes started {(second.Started - first.Started).TotalSeconds} s apart with -IntervalSeconds 2");
        }
        finally
        {
            ps.Stop();
            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
        }
    }

    [Theory]
    [InlineData(0.2, 60, 59.8)]
    [InlineData(0, 1, 1)]
    [InlineData(75, 60, 1)]
    public void ThePauseMakesOnePassPerInterval(double took, int interval, double pause) =>
        Assert.Equal(pause, RedisComponents.Counters.Commands.InvokeRedisCounterCleanupCommand.PauseAfter(TimeSpan.FromSeconds(took), interval).TotalSeconds, 6);

    [Fact]
    public void ContinuousCleanupReportsAnOutageAndCarriesOnWhenRedisIsBack()
    {
        // The config server (shared) stays up; only the component's Redis goes away and comes back (empty).
        using var server = TestRedis.StartOwned();
        using var host = new PsHost(TestRedis.Shared.Endpoint, refreshSeconds: 0);
        var component = CounterHosts.Unique("outage");
        host.Run("Set-RedisComponentConfig -Component $c -Config @{ host = '127.0.0.1'; port = $p; socket_timeout = 1.0; socket_connect_timeout = 1.0 }",
            new() { ["c"] = component, ["p"] = server.Port }).ThrowIfFailed();
        var ps = PowerShell.Create(host.Runspace);
        ps.AddScript("Invoke-RedisCounterCleanup -Component $c -Continuous -IntervalSeconds 1");
        host.Runspace.SessionStateProxy.SetVariable("c", component);
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        // PSDataCollection enumerators block until the collection completes: read by index only.
        string Errors() => string.Join(" | ", Enumerable.Range(0, ps.Streams.Error.Count).Select(i => ps.Streams.Error[i].FullyQualifiedErrorId));
        try
        {
            Wait.Until(() => output.Count >= 1, "the first pass");
            server.Stop();
            Wait.Until(() => ps.Streams.Error.Count >= 1, "an error for the outage", seconds: 20);
            var passesBefore = output.Count;
            server.Start();
            Wait.Until(() => output.Count > passesBefore, "a pass after Redis is back", seconds: 30);
            Assert.StartsWith("ComponentUnreachable", Errors(), StringComparison.Ordinal);
            Assert.Equal(PSInvocationState.Running, ps.InvocationStateInfo.State);
        }
        finally
        {
            var stopping = ps.BeginStop(null, null);
            Assert.True(stopping.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "did not stop within 10 s");
            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(1)));
            ps.Dispose();
        }
    }
}
