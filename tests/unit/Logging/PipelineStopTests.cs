using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Logging;

/// <summary>
/// Issue 12 (writer part): what a piped log writer accepted is written however the pipeline ends, slow
/// input is not held back, and a batch is applied per item (a wrong-typed key rejects only its items).
/// Every test runs against a real redis-server of the fixture's own.
/// </summary>
public sealed class PipelineStopTests(LoggingFixture fx) : IClassFixture<LoggingFixture>
{
    private PsResult Run(string script, string name) => fx.Ps.Run(script, new() { ["n"] = name });

    [Fact]
    public void AnUpstreamThrowAfterFourItemsStillWritesTheFour()
    {
        var name = LoggingFixture.NewName();
        var result = Run("1..5 | ForEach-Object { if ($_ -eq 5) { throw 'x' }; \"step $_\" } | Write-RedisRecentLog -Component app -Name $n", name);

        Assert.NotNull(result.Terminating);
        Assert.Equal(new[] { "step 4", "step 3", "step 2", "step 1" }, fx.List($"recent:{name}:info").Select(e => e[25..]));
    }

    [Fact]
    public void AnUpstreamThrowStillCountsTheCommonLogsItems()
    {
        var name = LoggingFixture.NewName();
        var result = Run("1..4 | ForEach-Object { if ($_ -eq 4) { throw 'x' }; 'same' } | Write-RedisCommonLog -Component app -Name $n", name);

        Assert.NotNull(result.Terminating);
        Assert.Equal(3, fx.Db.SortedSetScore($"common:{name}:info", "same"));
        Assert.Equal(3, fx.Db.ListLength($"recent:{name}:info"));
    }

    [Fact]
    public void ErrorActionStopElsewhereInThePipelineStillWritesWhatWasAccepted()
    {
        var name = LoggingFixture.NewName();
        var result = Run("""
            1..3 | ForEach-Object { "m$_" } | Write-RedisRecentLog -Component app -Name $n
            & { 'a'; 'b'; Get-RedisRecentLog -Component not-configured -Name x -ErrorAction Stop; 'c' } | Write-RedisRecentLog -Component app -Name $n
            """, name);

        Assert.NotNull(result.Terminating);
        Assert.Equal(new[] { "b", "a", "m3", "m2", "m1" }, fx.List($"recent:{name}:info").Select(e => e[25..]));
    }

    [Fact]
    public void ASlowGeneratorsItemsAreEachInRedisBeforeTheNextIsEmitted()
    {
        var name = LoggingFixture.NewName();
        var key = $"recent:{name}:info";
        fx.Ps.Runspace.SessionStateProxy.SetVariable("n", name);
        fx.Ps.Runspace.SessionStateProxy.SetVariable("k", key);
        using var mux = StackExchange.Redis.ConnectionMultiplexer.Connect(fx.Server.Endpoint);
        fx.Ps.Runspace.SessionStateProxy.SetVariable("db", mux.GetDatabase());
        // Before emitting item i the generator waits (bounded, 10 s) until item i-1 is in Redis, and records
        // how many it saw: only the writer's age timer can have sent it, as no further input arrived.
        var result = fx.Ps.Run("""
            $seen = [System.Collections.Generic.List[long]]::new()
            1..4 | ForEach-Object {
                if ($_ -gt 1) {
                    $until = [DateTime]::UtcNow.AddSeconds(10)
                    while ($db.ListLength($k) -lt $_ - 1 -and [DateTime]::UtcNow -lt $until) { [System.Threading.Thread]::Sleep(20) }
                    $seen.Add($db.ListLength($k))
                }
                "m$_"
                [System.Threading.Thread]::Sleep(300)
            } | Write-RedisRecentLog -Component app -Name $n
            $seen
            """).ThrowIfFailed();

        Assert.Equal(new long[] { 1, 2, 3 }, result.Output.Select(o => (long)o.BaseObject));
        Assert.Equal(4, fx.Db.ListLength(key));
    }

    [Fact]
    public void CtrlCWritesWhatWasAcceptedBeforeTheStop()
    {
        var name = LoggingFixture.NewName();
        using var ready = new ManualResetEventSlim();
        fx.Ps.Runspace.SessionStateProxy.SetVariable("n", name);
        fx.Ps.Runspace.SessionStateProxy.SetVariable("ready", ready);
        using var ps = PowerShell.Create(fx.Ps.Runspace);
        ps.AddScript("& { 'a'; 'b'; 'c'; $ready.Set(); while ($true) { [System.Threading.Thread]::Sleep(20) } } | Write-RedisRecentLog -Component app -Name $n");
        var running = ps.BeginInvoke();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(10)), "the generator never emitted its three items");

        ps.Stop(); // Ctrl+C while the three items are accepted (queued or in flight)
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "still running 5 s after Stop");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal(new[] { "c", "b", "a" }, fx.List($"recent:{name}:info").Select(e => e[25..]));
    }

    [Fact]
    public void CtrlCReturnsPromptlyWhenRedisDoesNotAnswer()
    {
        using var server = TestRedis.StartOwned();
        using var host = new PsHost(server.Endpoint);
        host.Run("Set-RedisComponentConfig -Component app -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();
        host.Run("Write-RedisRecentLog -Component app -Name warm -Message up").ThrowIfFailed(); // connected
        using var ready = new ManualResetEventSlim();
        host.Runspace.SessionStateProxy.SetVariable("ready", ready);
        server.Db().Execute("CLIENT", "PAUSE", "20000", "WRITE"); // writes hang until unpaused
        try
        {
            using var ps = PowerShell.Create(host.Runspace);
            ps.AddScript("& { 'a'; 'b'; $ready.Set(); while ($true) { [System.Threading.Thread]::Sleep(20) } } | Write-RedisRecentLog -Component app -Name paused");
            var running = ps.BeginInvoke();
            Assert.True(ready.Wait(TimeSpan.FromSeconds(10)), "the generator never emitted its items");
            Thread.Sleep(300); // the age timer has sent the batch: it is in flight, unanswered

            var stopping = ps.BeginStop(null, null);
            // Bounded waits that fail on a hang (the writer gives up after 1 s; 20 s is the pause).
            Assert.True(stopping.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "Stop did not return while Redis was paused");
            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the pipeline did not end while Redis was paused");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }
        finally
        {
            server.Db().Execute("CLIENT", "UNPAUSE");
        }
    }

    [Fact]
    public void AWrongTypedRecentListRejectsOnlyThatLogsItemsOfTheCommonLogBatch()
    {
        var bad = LoggingFixture.NewName("bad");
        var good = LoggingFixture.NewName("good");
        fx.Db.StringSet($"recent:{bad}:info", "not a list");
        fx.Ps.Runspace.SessionStateProxy.SetVariable("g", good);
        var result = Run("""
            [pscustomobject]@{ Name = $g; Message = 'one' }, [pscustomobject]@{ Name = $n; Message = 'x' },
            [pscustomobject]@{ Name = $n; Message = 'y' }, [pscustomobject]@{ Name = $g; Message = 'two' } | Write-RedisCommonLog -Component app
            'after'
            """, bad);

        var error = result.SingleError();
        Assert.Equal("RedisCommandFailed,RedisComponents.Logging.Commands.WriteRedisCommonLogCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"recent:{bad}:info", error.ErrorDetails.Message);
        Assert.StartsWith("2 messages for ", error.ErrorDetails.Message);
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        // Nothing of the bad log's items: no count, no start key, the string untouched.
        Assert.False(fx.Db.KeyExists($"common:{bad}:info"));
        Assert.False(fx.Db.KeyExists($"common:{bad}:info:start"));
        Assert.Equal("not a list", (string?)fx.Db.StringGet($"recent:{bad}:info"));
        // The rest of the batch went in.
        Assert.Equal(1, fx.Db.SortedSetScore($"common:{good}:info", "one"));
        Assert.Equal(1, fx.Db.SortedSetScore($"common:{good}:info", "two"));
        Assert.Equal(2, fx.Db.ListLength($"recent:{good}:info"));
    }

    [Fact]
    public void AWrongTypedCountsKeyRejectsItsItemsAndLeavesTheRecentLogAlone()
    {
        var bad = LoggingFixture.NewName("bad");
        var good = LoggingFixture.NewName("good");
        fx.Db.StringSet($"common:{bad}:info", "not a sorted set");
        fx.Ps.Runspace.SessionStateProxy.SetVariable("g", good);
        var result = Run("""
            [pscustomobject]@{ Name = $n; Message = 'x' }, [pscustomobject]@{ Name = $g; Message = 'one' } | Write-RedisCommonLog -Component app
            """, bad);

        var error = result.SingleError();
        Assert.StartsWith("RedisCommandFailed,", error.FullyQualifiedErrorId);
        Assert.Contains($"common:{bad}:info", error.ErrorDetails.Message);
        Assert.StartsWith("1 messages for ", error.ErrorDetails.Message);
        Assert.False(fx.Db.KeyExists($"recent:{bad}:info"));
        Assert.False(fx.Db.KeyExists($"common:{bad}:info:start"));
        Assert.Equal("not a sorted set", (string?)fx.Db.StringGet($"common:{bad}:info"));
        Assert.Equal(1, fx.Db.SortedSetScore($"common:{good}:info", "one"));
        Assert.Single(fx.List($"recent:{good}:info"));
    }

    [Fact]
    public void AWrongTypedRecentListRejectsOnlyItsKeyInTheRecentLogBatch()
    {
        var bad = LoggingFixture.NewName("bad");
        fx.Db.StringSet($"recent:{bad}:warning", "not a list");
        var result = Run("""
            [pscustomobject]@{ Severity = 'Warning'; Message = 'w' }, [pscustomobject]@{ Severity = 'Error'; Message = 'e' } | Write-RedisRecentLog -Component app -Name $n
            """, bad);

        var error = result.SingleError();
        Assert.StartsWith("RedisCommandFailed,", error.FullyQualifiedErrorId);
        Assert.StartsWith($"1 messages for recent:{bad}:warning were not written.", error.ErrorDetails.Message);
        Assert.Equal("not a list", (string?)fx.Db.StringGet($"recent:{bad}:warning"));
        Assert.Equal(new[] { "e" }, fx.List($"recent:{bad}:error").Select(e => e[25..]));
    }

    [Fact]
    public void AMessageArrayIsOneBindingAndKeepsItsOrder()
    {
        var name = LoggingFixture.NewName();
        fx.Server.ResetStats();
        Run("Write-RedisRecentLog -Component app -Name $n -Message (1..2500 | ForEach-Object { \"m$_\" })", name).ThrowIfFailed();

        Assert.Equal(3, fx.Server.CommandCalls("lpush")); // batches of 1000
        var entries = fx.List($"recent:{name}:info");
        Assert.Equal(Enumerable.Range(2401, 100).Reverse().Select(i => $"m{i}"), entries.Select(e => e[25..]));

        var common = LoggingFixture.NewName();
        var counted = Run("Write-RedisCommonLog -Component app -Name $n -Message 'a', 'b', 'a' -PassThru", common).ThrowIfFailed().All<RedisComponents.Logging.CommonLogEntry>();
        Assert.Equal(new[] { ("a", 1L), ("b", 1L), ("a", 2L) }, counted.Select(c => (c.Message, c.Count)));
    }

    [Fact]
    public void AnUnreachableServerNamesTheKeyAndTheMessagesNotWritten()
    {
        using var server = TestRedis.StartOwned();
        using var host = new PsHost(server.Endpoint);
        host.Run("Set-RedisComponentConfig -Component app -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();
        host.Run("Write-RedisRecentLog -Component app -Name warm -Message up").ThrowIfFailed();
        server.Db().Execute("CLIENT", "PAUSE", "20000", "WRITE");
        try
        {
            var result = host.Run("'a', 'b', 'c' | Write-RedisRecentLog -Component app -Name stuck; 'after'");
            var error = result.SingleError();
            Assert.Contains("3 messages for recent:stuck:info were not written.", error.ErrorDetails.Message);
            Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        }
        finally
        {
            server.Db().Execute("CLIENT", "UNPAUSE");
        }
    }
}

/// <summary>An hour boundary inside one batch: each item counts in the hour it arrived (fake module clock).</summary>
[Collection(ClockCollection.Name)]
public sealed class HourBoundaryBatchTests(LoggingFixture fx) : IClassFixture<LoggingFixture>
{
    [Fact]
    public void ABatchCrossingAnHourCountsEachMessageInItsOwnHour()
    {
        var clock = FakeClock.Install(new DateTimeOffset(2026, 11, 24, 10, 59, 59, TimeSpan.Zero), out var restore);
        using (restore)
        {
            var name = LoggingFixture.NewName();
            fx.Ps.Runspace.SessionStateProxy.SetVariable("clock", clock);
            fx.Ps.Runspace.SessionStateProxy.SetVariable("next", new DateTimeOffset(2026, 11, 24, 11, 0, 1, TimeSpan.Zero));
            // One binding-by-pipeline burst: all five are queued well within the 200 ms age, so one batch.
            fx.Ps.Run("& { 'a'; 'a'; 'b'; $clock.Set($next); 'a'; 'c' } | Write-RedisCommonLog -Component app -Name $n", new() { ["n"] = name }).ThrowIfFailed();

            var dest = $"common:{name}:info";
            Assert.Equal("2026-11-24T11:00:00", (string?)fx.Db.StringGet(dest + ":start"));
            Assert.Equal("2026-11-24T10:00:00", (string?)fx.Db.StringGet(dest + ":pstart"));
            Assert.Equal(2, fx.Db.SortedSetScore(dest + ":last", "a"));
            Assert.Equal(1, fx.Db.SortedSetScore(dest + ":last", "b"));
            Assert.Equal(1, fx.Db.SortedSetScore(dest, "a"));
            Assert.Equal(1, fx.Db.SortedSetScore(dest, "c"));
            Assert.Null(fx.Db.SortedSetScore(dest, "b"));
            Assert.Equal(5, fx.Db.ListLength($"recent:{name}:info"));
        }
    }
}
