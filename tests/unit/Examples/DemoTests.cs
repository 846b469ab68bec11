using System.IO;
using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Examples;

/// <summary>README's first command runs examples/demo.ps1; it must work end to end in the bare SMA host.</summary>
public sealed class DemoTests : System.IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    [Fact]
    public void DemoRunsEndToEndWithoutErrors()
    {
        using var ps = new PsHost();
        var script = Path.Combine(RepositoryRoot.Path, "examples", "demo.ps1");
        var result = ps.Run("& $script -ConfigServer $cs", new() { ["script"] = script, ["cs"] = server.Endpoint });
        Assert.True(result.Succeeded, result.Describe());
        Assert.Contains(result.Output, o => o.ToString() == "under maintenance: True");
        Assert.Equal("{\"host\": \"127.0.0.1\", \"port\": " + server.Port + ", \"db\": 0}", (string?)server.Db().StringGet("config:redis:demo-logs"));
        Assert.False(server.Db().KeyExists("is-under-maintenance"));
    }

    public void Dispose() => server.Dispose();
}
