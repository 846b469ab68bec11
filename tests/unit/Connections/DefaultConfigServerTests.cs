using System;
using System.Linq;
using RedisComponents.Connections.Commands;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>
/// Without Connect-RedisConfigServer a session uses $env:REDIS_COMPONENTS_CONFIG_SERVER, else localhost:6379.
/// The variable is process-wide, so this runs in the collection that runs alone.
/// </summary>
[Collection(ClockCollection.Name)]
public sealed class DefaultConfigServerTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly string? saved = Environment.GetEnvironmentVariable("REDIS_COMPONENTS_CONFIG_SERVER");

    [Fact]
    public void TheEnvironmentVariableNamesTheDefaultConfigServer()
    {
        configServer.Db().StringSet("config:redis:fromenv", $"{{\"host\": \"{configServer.Host}\", \"port\": {configServer.Port}}}");
        Environment.SetEnvironmentVariable("REDIS_COMPONENTS_CONFIG_SERVER", configServer.Endpoint);
        using var ps = new PsHost();
        Assert.True(ps.Run("Test-RedisComponent fromenv").ThrowIfFailed().Single<ComponentTestResult>().Reachable);
        Assert.Equal(configServer.Endpoint, ps.Run("(Get-RedisComponentConnection fromenv).ConfigServer").Output.Single().ToString());
    }

    [Fact]
    public void WithoutTheVariableTheDefaultIsLocalhost6379()
    {
        Environment.SetEnvironmentVariable("REDIS_COMPONENTS_CONFIG_SERVER", null);
        using var ps = new PsHost();
        var result = ps.Run("Test-RedisComponent nowhere-" + Guid.NewGuid().ToString("N")).ThrowIfFailed().Single<ComponentTestResult>();
        Assert.False(result.Reachable);
        Assert.Contains("localhost:6379", result.Error); // whether or not a Redis runs there, that is where it looked
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("REDIS_COMPONENTS_CONFIG_SERVER", saved);
        configServer.Dispose();
    }
}
