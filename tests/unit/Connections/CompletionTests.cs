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

    [Fact]
    public void LogNameCompletesFromExistingRecentLogsOfTheComponent()
    {
        configServer.Db().StringSet("config:redis:logs", $"{{\"host\": \"{configServer.Host}\", \"port\": {configServer.Port}, \"db\": 2}}");
        foreach (var key in new[] { "recent:web:info", "recent:web:error", "recent:worker:debug", "recent:api gw:info", "common:other:info" }) configServer.Db(2).ListLeftPush(key, "x");
        configServer.Db(0).ListLeftPush("recent:wrongdb:info", "x");
        using var ps = new PsHost(configServer.Endpoint);
        // Warm, as in a session that already used the component: a cold connect under a loaded test run can
        // exceed the completer's 2 s budget, which then (by design) offers nothing rather than hang.
        ps.Run("Test-RedisComponent logs -Quiet").ThrowIfFailed();
        using var shell = PowerShell.Create(ps.Runspace);
        string[] Complete(string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToArray();

        Assert.Equal(new[] { "web", "worker" }, Complete("Get-RedisRecentLog -Component logs -Name w"));
        Assert.Equal(new[] { "'api gw'", "web", "worker" }, Complete("Write-RedisCommonLog -Component logs -Name "));
        Assert.Empty(Complete("Get-RedisRecentLog -Name w")); // no component yet: nothing to scan
    }

    [Fact]
    public void StatisticContextCompletesFromExistingStatsKeys()
    {
        configServer.Db().StringSet("config:redis:stats", $"{{\"host\": \"{configServer.Host}\", \"port\": {configServer.Port}, \"db\": 3}}");
        var db = configServer.Db(3);
        db.SortedSetAdd("stats:checkout:AccessTime", "count", 1);
        db.StringSet("stats:checkout:AccessTime:start", "2026-11-24T10:00:00");
        db.SortedSetAdd("stats:cart:Bytes:last", "count", 1);            // only a previous hour left
        db.StringSet("stats:page:/home:AccessTime:pstart", "2026-11-24T09:00:00");
        db.SortedSetAdd("slowest:AccessTime", "checkout", 0.1);
        using var ps = new PsHost(configServer.Endpoint);
        ps.Run("Test-RedisComponent stats -Quiet").ThrowIfFailed();
        using var shell = PowerShell.Create(ps.Runspace);
        string[] Complete(string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToArray();

        Assert.Equal(new[] { "cart", "checkout" }, Complete("Get-RedisStatistic -Component stats -Context c"));
        Assert.Equal(new[] { "cart", "checkout", "page:/home" }, Complete("Update-RedisStatistic -Component stats -Type t -Context "));
        Assert.Equal(new[] { "page:/home" }, Complete("Measure-RedisAccessTime -Component stats -Context p"));
        Assert.Equal(new[] { "AccessTime", "Bytes" }, Complete("Get-RedisStatistic -Component stats -Type "));
        Assert.Equal(new[] { "AccessTime" }, Complete("Update-RedisStatistic -Component stats -Context checkout -Type "));
        Assert.Equal(new[] { "Bytes" }, Complete("Get-RedisStatistic -Component stats -Context cart -Type B"));
    }

    public void Dispose() => configServer.Dispose();
}
