using RedisComponents.Connections;
using RedisComponents.Connections.Commands;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

public class SmokeTests
{
    [Fact]
    public void ModuleImportsAndResolvesAComponent()
    {
        using var server = TestRedis.StartOwned();
        using var ps = new PsHost(server.Endpoint);
        ps.Run("Set-RedisComponentConfig -Component web -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();
        var result = ps.Run("Test-RedisComponent web").ThrowIfFailed().Single<ComponentTestResult>();
        Assert.True(result.Reachable, result.Error);
        Assert.Equal("{\"host\": \"127.0.0.1\", \"port\": " + server.Port + ", \"db\": 0}", (string?)server.Db().StringGet("config:redis:web"));
    }
}
