using System;
using System.Linq;
using RedisComponents.Connections;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>Book 5.4.3: a config is read at most once per refresh window, and a changed config switches connections.</summary>
[Collection(ClockCollection.Name)]
public sealed class ConfigRefreshTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer serverA = TestRedis.StartOwned();
    private readonly RedisServer serverB = TestRedis.StartOwned();
    private readonly FakeClock clock;
    private readonly IDisposable restoreClock;

    public ConfigRefreshTests()
    {
        clock = FakeClock.Install(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), out restoreClock);
        PointAt("web", serverA);
    }

    private void PointAt(string component, RedisServer server) =>
        configServer.Db().StringSet("config:redis:" + component, $"{{\"host\": \"{server.Host}\", \"port\": {server.Port}}}");

    [Fact]
    public void ThousandCallsInOneWindowCostOneConfigGet()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 1, withTestCmdlets: true);
        configServer.ResetStats();

        ps.Run("for ($i = 0; $i -lt 1000; $i++) { $null = Invoke-TestComponentIncrement -Component web }").ThrowIfFailed();
        Assert.Equal(1, configServer.CommandCalls("get"));
        Assert.Equal("1000", (string?)serverA.Db().StringGet("probe"));

        clock.Advance(TimeSpan.FromSeconds(1.5));
        ps.Run("for ($i = 0; $i -lt 10; $i++) { $null = Invoke-TestComponentIncrement -Component web }").ThrowIfFailed();
        Assert.Equal(2, configServer.CommandCalls("get"));
    }

    [Fact]
    public void AFlippedConfigMovesWritesToTheNewServerWithinTheWindowAndClosesTheOld()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 1, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component web").ThrowIfFailed();
        Assert.True(serverA.ClientCount() > 0);

        PointAt("web", serverB);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        ps.Run("Invoke-TestComponentIncrement -Component web").ThrowIfFailed();
        Assert.Equal("2", (string?)serverA.Db().StringGet("probe")); // still inside the window: still A

        clock.Advance(TimeSpan.FromSeconds(0.6));
        ps.Run("Invoke-TestComponentIncrement -Component web").ThrowIfFailed();
        Assert.Equal("1", (string?)serverB.Db().StringGet("probe"));
        Assert.Equal("2", (string?)serverA.Db().StringGet("probe"));

        Wait.Until(() => serverA.ClientCount() == 0, "the module's connections to server A to close");
        Assert.Equal(new[] { serverB.Endpoint }, ps.Run("(Get-RedisComponentConnection web).Endpoint").Output.Select(o => o.ToString()));
    }

    [Fact]
    public void AnInFlightHolderKeepsTheOldConnectionUntilItIsDone()
    {
        using var session = new ComponentSession();
        session.UseConfigServer(new ConfigServer(configServer.Endpoint), refreshSeconds: 1);
        var held = session.Resolve("web");

        PointAt("web", serverB);
        clock.Advance(TimeSpan.FromSeconds(2));
        using (var fresh = session.Resolve("web"))
        {
            Assert.Equal(serverB.Endpoint, fresh.Endpoint);
        }

        // The session moved on, but the holder's commands still run on A.
        Assert.Equal(1, held.Database.StringIncrement("held"));
        Assert.True(serverA.ClientCount() > 0);
        held.Dispose();
        Wait.Until(() => serverA.ClientCount() == 0, "A's multiplexer to close once its last holder is done");
    }

    [Fact]
    public void ARemovedConfigIsNotFoundAtTheNextRefreshInsteadOfFallingBack()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 1, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component web").ThrowIfFailed();
        configServer.Db().KeyDelete("config:redis:web");
        clock.Advance(TimeSpan.FromSeconds(2));

        var result = ps.Run("Invoke-TestComponentIncrement -Component web");
        Assert.StartsWith("ComponentConfigNotFound", result.SingleError().FullyQualifiedErrorId);
        Wait.Until(() => serverA.ClientCount() == 0, "the dropped component's connections to close");
    }

    public void Dispose()
    {
        restoreClock.Dispose();
        configServer.Dispose();
        serverA.Dispose();
        serverB.Dispose();
    }
}
