using System;
using System.Linq;
using RedisComponents.Connections.Commands;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections.Faults;

/// <summary>A component's own Redis misbehaving: killed, restarted, sleeping, black-holed, or lacking the db.</summary>
public sealed class ComponentFaultTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    public ComponentFaultTests() => configServer.SetConfig("app", FaultHosts.Config(data.Host, data.Port));

    public void Dispose()
    {
        data.Dispose();
        configServer.Dispose();
    }

    private PsHost NewHost(double refreshSeconds = 1) => new(configServer.Endpoint, refreshSeconds, withTestCmdlets: true);

    [Fact]
    public void CallsOnAKilledServerFailAtOnceClassifiedAndRecoverAfterTheRestart()
    {
        using var ps = NewHost();
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();

        data.Stop(); // kill -9
        // Once the client knows the connection is down, every call fails fast with the module's id.
        for (var i = 0; i < 5; i++)
        {
            ps.RunBounded("Invoke-TestComponentIncrement -Component app", seconds: 15).AssertOnlyErrors("ComponentUnreachable");
        }
        var last = ps.RunBounded("Invoke-TestComponentIncrement -Component app", seconds: 15).SingleError();
        Assert.Contains(data.Endpoint, last.ErrorDetails.Message);

        data.Start(); // same port
        Wait.Until(() => ps.Run("Invoke-TestComponentIncrement -Component app").Succeeded, "calls to recover by themselves", seconds: 20);
    }

    [Fact]
    public void APipelineIntoADeadServerReturnsWithFewClassifiedErrorsNotOnePerItem()
    {
        using var ps = NewHost();
        data.Stop();
        var result = ps.RunBounded("1..20000 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name web", seconds: 60);
        result.AssertOnlyErrors("ComponentUnreachable");
        // One error per batch (at most 1000 messages; the 200 ms age flush can cut one short), each with the count it did not write.
        Assert.True(result.Errors.Count <= 100, $"{result.Errors.Count} errors for 20000 items");
        Assert.Equal(20000, result.NotWritten());
    }

    [Fact]
    public void APipelineIntoAServerKilledAfterTheFirstCallSaysHowManyItemsWereNotWritten()
    {
        using var ps = NewHost();
        ps.RunBounded("Write-RedisRecentLog -Component app -Name web -Message first").ThrowIfFailed();
        data.Stop(); // the connection was up: now it is known down
        var result = ps.RunBounded("1..20000 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name web", seconds: 60);
        result.AssertOnlyErrors("ComponentUnreachable");
        Assert.True(result.Errors.Count <= 100, $"{result.Errors.Count} errors for 20000 items");
        Assert.Equal(20000, result.NotWritten());
    }

    [Fact]
    public void ASleepingServerWithASocketTimeoutOfOneSecondIsClassifiedNeverARawException()
    {
        using var ps = NewHost();
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();
        var sleeper = System.Threading.Tasks.Task.Run(() => data.AdminServer.Execute("DEBUG", "SLEEP", "3"));
        try
        {
            System.Threading.Thread.Sleep(200); // let DEBUG SLEEP start
            var single = ps.RunBounded("Invoke-TestComponentIncrement -Component app", seconds: 15);
            single.AssertOnlyErrors("ComponentUnreachable");
            var piped = ps.RunBounded("1..3000 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name slow", seconds: 30);
            Assert.True(piped.Terminating is null, piped.Describe());
            foreach (var e in piped.Errors) e.AssertClassified("ComponentUnreachable");
        }
        finally
        {
            sleeper.Wait(TimeSpan.FromSeconds(15));
        }
        Wait.Until(() => ps.Run("Invoke-TestComponentIncrement -Component app").Succeeded, "the component to answer again after the sleep");
    }

    [Fact]
    public void ABlackHoledServerIsComponentUnreachableAndDoesNotBlockAHealthyComponent()
    {
        using var hole = new SilentListener();
        configServer.SetConfig("hole", FaultHosts.Config("127.0.0.1", hole.Port));
        using var ps = NewHost();
        var result = ps.RunBounded("Invoke-TestComponentIncrement -Component hole; Invoke-TestComponentIncrement -Component hole; Invoke-TestComponentIncrement -Component app", seconds: 20);
        Assert.Equal(2, result.Count("ComponentUnreachable"));
        Assert.Equal("1", Assert.Single(result.Output).ToString());
    }

    [Fact]
    public void ADbTheServerLacksIsComponentConfigInvalidAndTestRedisComponentSaysNotReachable()
    {
        configServer.SetConfig("db100", FaultHosts.HealthyConfig(data.Host, data.Port, db: 100));
        using var ps = NewHost();
        var error = ps.RunBounded("Invoke-TestComponentIncrement -Component db100").SingleError().AssertClassified("ComponentConfigInvalid");
        Assert.Contains("db 100", error.ErrorDetails.Message);
        Assert.Contains("config:redis:db100", error.ErrorDetails.Message);

        var test = ps.RunBounded("Test-RedisComponent db100").ThrowIfFailed().Single<ComponentTestResult>();
        Assert.False(test.Reachable);
        Assert.Contains("db 100", test.Error);
    }

    [Fact]
    public void ADbOnlyChangeMidPipelineTakesEffectFromTheNextRecord()
    {
        using var ps = NewHost(refreshSeconds: 0.05);
        var result = ps.RunBounded("""
            1..300 | ForEach-Object {
                if ($_ -eq 201) {
                    Set-RedisComponentConfig -Component app -Config $c
                    # Until this session has re-read the config (bounded), as a loaded machine may delay the re-read.
                    $until = [DateTime]::UtcNow.AddSeconds(20)
                    while ((Test-RedisComponent app).Endpoint -notlike '*/1' -and [DateTime]::UtcNow -lt $until) { [System.Threading.Thread]::Sleep(20) }
                }
                "m$_"
            } | Write-RedisRecentLog -Component app -Name web
            """, variables: new() { ["c"] = FaultHosts.Config(data.Host, data.Port, db: 1) });
        Assert.True(result.Succeeded, result.Describe());
        var db0 = data.Db(0).ListRange("recent:web:info").Select(v => ((string)v!)[25..]).ToList();
        var db1 = data.Db(1).ListRange("recent:web:info").Select(v => ((string)v!)[25..]).ToList();
        Assert.Equal(Enumerable.Range(101, 100).Reverse().Select(i => $"m{i}"), db0);
        Assert.Equal(Enumerable.Range(201, 100).Reverse().Select(i => $"m{i}"), db1);
    }

    [Fact]
    public void TestRedisComponentOfSeveralDownComponentsReturnsEveryResult()
    {
        using var hole = new SilentListener();
        var dead = ProcessRedisServer.FreePort();
        configServer.SetConfig("a", FaultHosts.Config("127.0.0.1", dead));
        configServer.SetConfig("b", FaultHosts.Config("127.0.0.1", hole.Port));
        configServer.SetConfig("c", FaultHosts.Config("127.0.0.1", ProcessRedisServer.FreePort()));
        using var ps = NewHost();
        var results = ps.RunBounded("Test-RedisComponent a, b, c, app", seconds: 20).ThrowIfFailed().All<ComponentTestResult>();
        Assert.Equal(new[] { "a", "b", "c", "app" }, results.Select(r => r.Component));
        Assert.Equal(new[] { false, false, false, true }, results.Select(r => r.Reachable));
        Assert.All(results.Take(3), r => Assert.Contains("unreachable", r.Error));
    }

    [Fact]
    public void TestAndDisconnectExpandWildcards()
    {
        configServer.SetConfig("shop-1", FaultHosts.HealthyConfig(data.Host, data.Port));
        configServer.SetConfig("shop-2", FaultHosts.HealthyConfig(data.Host, data.Port, db: 2));
        using var ps = NewHost();
        var tested = ps.RunBounded("Test-RedisComponent 'shop-*'").ThrowIfFailed().All<ComponentTestResult>();
        Assert.Equal(new[] { "shop-1", "shop-2" }, tested.Select(r => r.Component).OrderBy(n => n));
        Assert.All(tested, r => Assert.True(r.Reachable));
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();

        var forgot = ps.RunBounded("Disconnect-RedisComponent 'SHOP-*' -Verbose").ThrowIfFailed();
        Assert.Equal(2, forgot.Verbose.Count);
        var left = ps.RunBounded("(Get-RedisComponentConnection).Component").ThrowIfFailed();
        Assert.Equal("app", Assert.Single(left.Output).ToString());
    }
}
