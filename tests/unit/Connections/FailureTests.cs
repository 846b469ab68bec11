using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>Each failure has its stable error id, a bounded wait, and recovery without re-import.</summary>
public sealed class FailureTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    public FailureTests()
    {
        SetConfig("app", $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"socket_timeout\": 1, \"socket_connect_timeout\": 1}}");
    }

    private void SetConfig(string component, string json) => configServer.Db().StringSet("config:redis:" + component, json);

    private PsHost NewHost(double refreshSeconds = 0) => new(configServer.Endpoint, refreshSeconds, withTestCmdlets: true);

    [Fact]
    public void AMissingConfigIsComponentConfigNotFoundAndNeverFallsBackToLocalhost()
    {
        using var ps = NewHost();
        var error = ps.Run("Invoke-TestComponentIncrement -Component ghost").SingleError();
        Assert.Equal("ComponentConfigNotFound,RedisComponents.Tests.Infrastructure.InvokeTestComponentIncrementCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("ghost", error.TargetObject);
        var message = error.ErrorDetails.Message;
        Assert.Contains("'ghost'", message);
        Assert.Contains("config:redis:ghost", message);
        Assert.Contains(configServer.Endpoint, message);
        Assert.Contains("Set-RedisComponentConfig", message);
    }

    [Theory]
    [InlineData("this is not json", "not JSON")]
    [InlineData("[\"localhost\", 6379]", "not an object")]
    [InlineData("{\"host\": \"h\", \"port\": \"6379\"}", "'port' must be a whole number")]
    public void ABadConfigIsComponentConfigInvalid(string json, string why)
    {
        SetConfig("bad", json);
        using var ps = NewHost();
        var error = ps.Run("Invoke-TestComponentIncrement -Component bad").SingleError();
        Assert.StartsWith("ComponentConfigInvalid,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains(why, error.ErrorDetails.Message);
        Assert.Contains("config:redis:bad", error.ErrorDetails.Message);
    }

    [Fact]
    public void UnknownConfigKeysWarnButWork()
    {
        SetConfig("extra", $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"colour\": \"blue\"}}");
        using var ps = NewHost();
        var result = ps.Run("Invoke-TestComponentIncrement -Component extra").ThrowIfFailed();
        Assert.Contains(result.Warnings, w => w.Contains("colour") && w.Contains("extra"));
    }

    [Fact]
    public void ADownConfigServerWithNoKnownConfigIsConfigServerUnreachableQuickly()
    {
        var nothingThere = ProcessRedisServer.FreePort();
        using var ps = new PsHost($"127.0.0.1:{nothingThere},connectTimeout=1000", withTestCmdlets: true);
        var sw = Stopwatch.StartNew();
        var error = ps.Run("Invoke-TestComponentIncrement -Component app").SingleError();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.StartsWith("ConfigServerUnreachable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"127.0.0.1:{nothingThere}", error.ErrorDetails.Message);
        Assert.Contains("Connect-RedisConfigServer", error.ErrorDetails.Message);
    }

    [Fact]
    public void ADownConfigServerWithAKnownConfigKeepsItAndWarnsOncePerOutage()
    {
        using var ps = NewHost(refreshSeconds: 0); // every call re-reads the config
        ps.Run("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();

        configServer.Stop();
        var outage1 = ps.Run("1..3 | ForEach-Object { Invoke-TestComponentIncrement -Component app }").ThrowIfFailed();
        Assert.Equal(new[] { "2", "3", "4" }, outage1.Output.Select(o => o.ToString()));
        Assert.Single(outage1.Warnings, w => w.Contains(configServer.Endpoint) && w.Contains("'app'"));

        configServer.Start();
        SetConfig("app", $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}}}"); // no persistence: the restarted server is empty
        var restartedAt = DateTimeOffset.UtcNow;
        Wait.Until(() =>
        {
            ps.Run("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();
            var readAt = (DateTimeOffset)ps.Run("(Get-RedisComponentConnection app).ConfigReadAt").Output.Single().BaseObject;
            return readAt > restartedAt;
        }, "the session to read the config again once the config server is back");

        configServer.Stop();
        var outage2 = ps.Run("1..2 | ForEach-Object { Invoke-TestComponentIncrement -Component app }").ThrowIfFailed();
        Assert.Single(outage2.Warnings);
    }

    [Fact]
    public void AnUnreachableComponentIsComponentUnreachableWithinItsTimeout()
    {
        var nothingThere = ProcessRedisServer.FreePort();
        SetConfig("gone", $"{{\"host\": \"127.0.0.1\", \"port\": {nothingThere}, \"socket_connect_timeout\": 1, \"socket_timeout\": 1}}");
        using var ps = NewHost();
        var sw = Stopwatch.StartNew();
        var error = ps.Run("Invoke-TestComponentIncrement -Component gone").SingleError();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.StartsWith("ComponentUnreachable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"127.0.0.1:{nothingThere}", error.ErrorDetails.Message);
        Assert.Contains("'gone'", error.ErrorDetails.Message);
    }

    [Fact]
    public void AComponentServerRestartedOnTheSamePortRecoversWithoutReimportOrDisconnect()
    {
        using var ps = NewHost(refreshSeconds: 1);
        Assert.Equal("1", ps.Run("Invoke-TestComponentIncrement -Component app").ThrowIfFailed().Output.Single().ToString());

        data.Stop();
        var sw = Stopwatch.StartNew();
        var down = ps.Run("Invoke-TestComponentIncrement -Component app");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.StartsWith("ComponentUnreachable,", down.SingleError().FullyQualifiedErrorId);
        Assert.Contains(data.Endpoint, down.SingleError().ErrorDetails.Message);

        data.Start(); // empty again: no persistence
        Wait.Until(() => ps.Run("Invoke-TestComponentIncrement -Component app").Succeeded, "the same session to reach the restarted server", seconds: 20);
        Assert.True(int.Parse((string)data.Db().StringGet("probe")!) >= 1);
    }

    [Fact]
    public void ATestOfAMissingComponentReportsInsteadOfThrowing()
    {
        using var ps = NewHost();
        var result = ps.Run("Test-RedisComponent -Component app, ghost").ThrowIfFailed();
        var rows = result.All<RedisComponents.Connections.Commands.ComponentTestResult>();
        Assert.True(rows[0].Reachable);
        Assert.False(rows[1].Reachable);
        Assert.Contains("config:redis:ghost", rows[1].Error);
    }

    public void Dispose()
    {
        configServer.Dispose();
        data.Dispose();
    }
}
