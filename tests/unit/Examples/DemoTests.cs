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
        var objects = result.Output.Select(o => o.BaseObject).ToList();
        Assert.Contains(objects, o => o is RedisComponents.Logging.CommonLogEntry { Message: "disk almost full", Count: 2 });
        Assert.Contains(objects, o => o is RedisComponents.Counters.CounterSample { Name: "page:/home", Count: 25 });
        Assert.Contains(objects, o => o is RedisComponents.Counters.Statistic { Count: 4, Min: 7, Max: 95 });
        Assert.Contains(objects, o => o is RedisComponents.Geo.IpCity { IPAddress: "1.0.7.200", City: "Washington, D.C." });
        Assert.Contains(result.Output, o => o.ToString() == "under maintenance: True");
        Assert.Contains(result.Output, o => o.ToString() == "under maintenance: False");
        // Data went to database 15, leaving database 0 to the config keys.
        Assert.Equal("{\"host\": \"127.0.0.1\", \"port\": " + server.Port + ", \"db\": 15}", (string?)server.Db().StringGet("config:redis:demo-logs"));
        Assert.True(server.Db(15).KeyExists("ip2cityid:"));
        Assert.False(server.Db(0).KeyExists("ip2cityid:"));
    }

    public void Dispose() => server.Dispose();
}
