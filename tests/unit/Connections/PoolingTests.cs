using System;
using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>Multiplexers are shared per process by normalized config, and released with the session.</summary>
public sealed class PoolingTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    public PoolingTests()
    {
        var json = $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}}}";
        configServer.Db().StringSet("config:redis:orders", json);
        configServer.Db().StringSet("config:redis:billing", $"{{\"port\": {data.Port}, \"host\": \"{data.Host}\", \"db\": 3}}");
    }

    [Fact]
    public void TwoComponentsWithEqualSettingsShareOneMultiplexer()
    {
        using var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        var oneMultiplexer = data.ClientCount();
        Assert.True(oneMultiplexer > 0);

        ps.Run("Invoke-TestComponentIncrement -Component billing").ThrowIfFailed();
        Assert.Equal(oneMultiplexer, data.ClientCount());
        Assert.Equal("1", (string?)data.Db(3).StringGet("probe")); // billing still writes to its own db
        Assert.Equal("1", (string?)data.Db(0).StringGet("probe"));
    }

    [Fact]
    public void TwoRunspacesShareOneMultiplexer()
    {
        using var first = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        using var second = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        first.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        var oneMultiplexer = data.ClientCount();
        second.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        Assert.Equal(oneMultiplexer, data.ClientCount());

        // The first runspace going away leaves the second one's (shared) connection open...
        first.Dispose();
        second.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        Assert.Equal(oneMultiplexer, data.ClientCount());
        // ...and the last holder going away closes it.
        second.Dispose();
        Wait.Until(() => data.ClientCount() == 0, "the shared multiplexer to close with its last runspace");
    }

    [Fact]
    public void ForEachObjectParallelRunspacesShareTheMultiplexer()
    {
        using var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        var oneMultiplexer = data.ClientCount();

        var result = ps.Run("""
            1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:manifest
                Import-Module $using:testModule
                Connect-RedisConfigServer $using:cs
                Invoke-TestComponentIncrement -Component orders
            }
            """, new() { ["manifest"] = PsHost.ManifestPath, ["testModule"] = typeof(PsHost).Assembly.Location, ["cs"] = configServer.Endpoint });
        result.ThrowIfFailed();
        Assert.Equal(4, result.Output.Count);
        Assert.Equal("5", (string?)data.Db().StringGet("probe"));
        Assert.Equal(oneMultiplexer, data.ClientCount());
    }

    [Fact]
    public void RemoveModuleDisposesTheSessionsConnections()
    {
        using var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        Assert.True(data.ClientCount() > 0);
        Assert.True(configServer.ClientCount() > 0);

        ps.Run("Remove-Module RedisComponents").ThrowIfFailed();

        Wait.Until(() => data.ClientCount() == 0, "component connections to close after Remove-Module");
        Wait.Until(() => configServer.ClientCount() == 0, "the config server connection to close after Remove-Module");
    }

    [Fact]
    public void ClosingTheRunspaceDisposesTheSession()
    {
        var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        ps.Dispose();
        Wait.Until(() => data.ClientCount() == 0 && configServer.ClientCount() == 0, "connections to close with the runspace");
    }

    [Fact]
    public void StateSurvivesFunctionScopesAndCannotBeClobberedByVariables()
    {
        using var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        var result = ps.Run("""
            function Use-Orders { Invoke-TestComponentIncrement -Component orders }
            Use-Orders
            # Remove every variable a script could reach (Remove-Variable is not in the core command set).
            foreach ($v in $ExecutionContext.InvokeProvider.ChildItem.Get('variable:\', $false)) {
                try { $ExecutionContext.InvokeProvider.Item.Remove("variable:\$($v.Name)", $false) } catch { }
            }
            & { Use-Orders }
            (Get-RedisComponentConnection).Component
            """);
        result.ThrowIfFailed();
        Assert.Equal(new[] { "1", "2", "orders" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void DisconnectForgetsOneComponentAndItsConfigSoTheNextCallReadsItAgain()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 3600, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component orders; Invoke-TestComponentIncrement -Component billing").ThrowIfFailed();
        var oneMultiplexer = data.ClientCount();

        // Inside the hour-long refresh window only a disconnect makes the session see the new config.
        configServer.Db().StringSet("config:redis:orders", $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"db\": 5}}");
        var disconnect = ps.Run("Disconnect-RedisComponent -Component orders, never-used -Verbose; (Get-RedisComponentConnection).Component").ThrowIfFailed();
        Assert.Equal(new[] { "billing" }, disconnect.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { "Forgot the connection of component 'orders'; it closes once nothing else uses it." }, disconnect.Verbose);
        Assert.Empty(disconnect.Errors);
        Assert.Equal(oneMultiplexer, data.ClientCount()); // billing still holds the shared multiplexer

        ps.Run("Invoke-TestComponentIncrement -Component orders").ThrowIfFailed();
        Assert.Equal("1", (string?)data.Db(5).StringGet("probe"));
        Assert.Equal("1", (string?)data.Db(0).StringGet("probe"));
    }

    [Fact]
    public void DisconnectWithoutNamesOrFromThePipelineClosesWhatNothingElseUses()
    {
        using var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        ps.Run("Invoke-TestComponentIncrement -Component orders; Invoke-TestComponentIncrement -Component billing").ThrowIfFailed();
        Assert.True(data.ClientCount() > 0);

        var piped = ps.Run("Get-RedisComponentConnection -Component orders | Disconnect-RedisComponent; (Get-RedisComponentConnection).Component").ThrowIfFailed();
        Assert.Equal(new[] { "billing" }, piped.Output.Select(o => o.ToString()));

        var all = ps.Run("Disconnect-RedisComponent; @(Get-RedisComponentConnection).Count").ThrowIfFailed();
        Assert.Equal(0, (int)all.Output.Single().BaseObject);
        Wait.Until(() => data.ClientCount() == 0, "the multiplexer to close once no component of the session uses it");
    }

    public void Dispose()
    {
        configServer.Dispose();
        data.Dispose();
    }
}
