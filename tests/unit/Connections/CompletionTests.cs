using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

public sealed class CompletionTests : System.IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();

    [Fact]
    public void ComponentCompletesFromTheConfigServer()
    {
        foreach (var name in new[] { "billing", "bill pay", "orders" }) configServer.Db().StringSet("config:redis:" + name, "{}");
        configServer.Db().StringSet("config:service:billing-api", "{}");
        using var ps = new PsHost(configServer.Endpoint, withTestCmdlets: true);

        string[] Complete(string input)
        {
            using var shell = PowerShell.Create(ps.Runspace);
            return CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToArray();
        }

        Assert.Equal(new[] { "'bill pay'", "billing" }, Complete("Test-RedisComponent -Component bil"));
        Assert.Equal(new[] { "orders" }, Complete("Invoke-TestComponentIncrement -Component o"));
        Assert.Equal(new[] { "'bill pay'", "billing", "orders" }, Complete("Get-RedisComponentConfig "));
    }

    public void Dispose() => configServer.Dispose();
}
