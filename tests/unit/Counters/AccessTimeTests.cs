using System;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Counters;

public class AccessTimeTests
{
    [Fact]
    public void BlockRunsInCallerScopeAndOutputPassesThrough()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("page");
        var result = ps.Run("$before = 1; $out = Measure-RedisAccessTime -Component app -Context $ctx { $inside = $before + 41; 'a'; 'b' }; $out; $inside",
            new() { ["ctx"] = context }).ThrowIfFailed();
        Assert.Equal(new object[] { "a", "b", 42 }, result.Output.Select(o => o.BaseObject).ToArray());
        var scores = server.Db().SortedSetRangeByRankWithScores($"stats:{context}:AccessTime").ToDictionary(e => (string)e.Element!, e => e.Score);
        Assert.Equal(1, scores["count"]);
        Assert.True(scores["sum"] >= 0 && scores["sum"] < 5, $"sum {scores["sum"]}");
        Assert.Equal(scores["sum"], scores["min"]);
        Assert.Equal(scores["sum"], scores["max"]);
        Assert.Equal(scores["sum"], server.Db().SortedSetScore(AccessTimes.SlowestKey, context));
    }

    [Fact]
    public void ThrowingBlockIsRecordedAndTheErrorRethrown()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("job");
        var result = ps.Run("try { Measure-RedisAccessTime -Component app -Context $ctx { $partial = 'set'; throw 'boom' }; 'not reached' } catch { \"caught: $($_.Exception.Message)\" }; $partial",
            new() { ["ctx"] = context });
        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(new object[] { "caught: boom", "set" }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(1, server.Db().SortedSetScore($"stats:{context}:AccessTime", "count"));
    }

    [Fact]
    public void NonTerminatingErrorsOfTheBlockReachTheCaller()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("job");
        var result = ps.Run("Measure-RedisAccessTime -Component app -Context $ctx { Get-Job -Id 98765; 'after' }", new() { ["ctx"] = context });
        Assert.True(result.Output.Count == 1, result.AllText());
        Assert.Equal(new object[] { "after" }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(result.Errors, e => e.ToString().Contains("98765"));
        Assert.Equal(1, server.Db().SortedSetScore($"stats:{context}:AccessTime", "count"));
    }

    [Fact]
    public void SlowestContextsComeFirstAndOnlyTheHundredSlowestAreKept()
    {
        using var server = TestRedis.StartOwned();
        var db = server.Db();
        for (var i = 1; i <= 105; i++) AccessTimes.Record(db, $"ctx{i}", i / 1000.0, TimeSpan.FromSeconds(5));
        AccessTimes.Record(db, "ctx1", 0.5, TimeSpan.FromSeconds(5)); // average (0.001 + 0.5) / 2

        Assert.Equal(100, db.SortedSetLength(AccessTimes.SlowestKey));
        using var ps = CounterHosts.WithComponent(server);
        var top = ps.Run("Get-RedisAccessTime -Component app -Top 3").ThrowIfFailed().All<AccessTimeEntry>();
        Assert.Equal(new[] { "ctx1", "ctx105", "ctx104" }, top.Select(e => e.Context));
        Assert.Equal(new[] { 1, 2, 3 }, top.Select(e => e.Rank));
        Assert.Equal(0.2505, top[0].AverageSeconds, 12);
        var all = ps.Run("Get-RedisAccessTime -Component app").ThrowIfFailed().All<AccessTimeEntry>();
        Assert.Equal(100, all.Count);
        Assert.Equal("ctx7", all[^1].Context); // ctx2..ctx6, the fastest, were trimmed
        Assert.Contains("ctx1: 250.5 ms", top[0].ToString());
    }

    [Fact]
    public void TheBlockRunsEvenWhenTheComponentCannotBeResolved()
    {
        using var ps = new PsHost(TestRedis.Shared.Endpoint, refreshSeconds: 0);
        var missing = CounterHosts.Unique("nocomponent");
        var result = ps.Run("$ran = $false; Measure-RedisAccessTime -Component $m -Context c { $ran = $true; 'output' }; $ran", new() { ["m"] = missing });
        Assert.Equal(new object[] { "output", true }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal("ComponentConfigNotFound", result.SingleError().FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void WhatIfRunsTheBlockButRecordsNothing()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("whatif");
        var result = ps.Run("Measure-RedisAccessTime -Component app -Context $ctx { 'done' } -WhatIf", new() { ["ctx"] = context }).ThrowIfFailed();
        Assert.Equal("done", result.Single<string>());
        Assert.False(server.Db().KeyExists($"stats:{context}:AccessTime"));
    }

    [Fact]
    public void TheBlocksOutputReachesDownstreamWhileTheBlockStillRuns()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("stream");
        // Downstream opens the gate when it sees 'first'; the block waits (bounded) for it before going on.
        // Collected output would only reach downstream after the block, so the gate would stay shut.
        var result = ps.Run("""
            $gate = [System.Threading.ManualResetEventSlim]::new($false)
            Measure-RedisAccessTime -Component app -Context $ctx { 'first'; "opened: $($gate.Wait(10000))" } |
                ForEach-Object { if ($_ -eq 'first') { $gate.Set() }; $_ }
            """, new() { ["ctx"] = context }).ThrowIfFailed();
        Assert.Equal(new object[] { "first", "opened: True" }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(1, server.Db().SortedSetScore($"stats:{context}:AccessTime", "count"));
    }

    [Fact]
    public void TheBlocksErrorsHonourRedirectionAndErrorVariable()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("redirect");
        var quiet = ps.Run("Measure-RedisAccessTime -Component app -Context $ctx { Get-Job -Id 98761; 'after' } 2>$null", new() { ["ctx"] = context });
        Assert.Empty(quiet.Errors);
        Assert.Equal("after", quiet.Single<string>());

        var captured = ps.Run("Measure-RedisAccessTime -Component app -Context $ctx -ErrorVariable ev { Get-Job -Id 98762; 'after' }; \"$($ev.Count): $($ev[0].TargetObject)\"",
            new() { ["ctx"] = context });
        Assert.Contains("98762", captured.SingleError().ToString());
        Assert.Equal(new object[] { "after", "1: 98762" }, captured.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(2, server.Db().SortedSetScore($"stats:{context}:AccessTime", "count"));
    }

    [Fact]
    public void TheTimeIsRecordedWhenThePipelineIsStopped()
    {
        var server = TestRedis.Shared;
        using var host = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("stopped");
        using var ps = System.Management.Automation.PowerShell.Create(host.Runspace);
        ps.AddScript("Measure-RedisAccessTime -Component app -Context $ctx { 'started'; Start-Sleep -Seconds 60 }");
        host.Runspace.SessionStateProxy.SetVariable("ctx", context);
        var output = new System.Management.Automation.PSDataCollection<System.Management.Automation.PSObject>();
        var running = ps.BeginInvoke<System.Management.Automation.PSObject, System.Management.Automation.PSObject>(null, output);
        Wait.Until(() => output.Count >= 1, "the block to start");

        ps.Stop();

        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "still running 10 s after Stop");
        // Ended by the stop within the bound above. Start-Sleep returns normally when stopped, so PowerShell
        // sometimes reports the invocation Completed rather than Stopped; either way nothing ran on.
        Assert.Contains(ps.InvocationStateInfo.State, new[] { System.Management.Automation.PSInvocationState.Stopped, System.Management.Automation.PSInvocationState.Completed });
        // The stop waits at most 1 s for the recording; on a loaded machine it finishes in the background
        // (bounded by 5 s), so it lands a moment later rather than never.
        Wait.Until(() => server.Db().SortedSetScore($"stats:{context}:AccessTime", "count") == 1, "the access time to be recorded", 10);
        Assert.NotNull(server.Db().SortedSetScore(AccessTimes.SlowestKey, context));
    }

    [Fact]
    public void AWrongTypedRankingRecordsNothing()
    {
        using var server = TestRedis.StartOwned();
        using var ps = CounterHosts.WithComponent(server);
        server.Db().StringSet(AccessTimes.SlowestKey, "not a sorted set");
        var result = ps.Run("Measure-RedisAccessTime -Component app -Context page { 'ran' }");
        Assert.Equal("ran", result.Single<string>());
        var error = result.SingleError();
        Assert.StartsWith("RedisCommandFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(AccessTimes.SlowestKey, error.ErrorDetails.Message);
        Assert.False(server.Db().KeyExists("stats:page:AccessTime"));
        Assert.False(server.Db().KeyExists("stats:page:AccessTime:start"));
    }
}
