using System;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Configuration;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Configuration;

/// <summary>Get-RedisComponentConfig lists sorted by component and flags configs that cannot be used.</summary>
public sealed class ConfigListingTests : IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    [Fact]
    public void ListingIsSortedAndInvalidConfigsAreFlagged()
    {
        var db = server.Db();
        foreach (var name in new[] { "zeta", "Alpha", "mid", "beta" }) db.StringSet("config:redis:" + name, $"{{\"host\": \"h-{name}\", \"port\": 7000, \"db\": 3}}");
        db.StringSet("config:redis:broken", "not json");
        db.StringSet("config:redis:badport", "{\"host\": \"x\", \"port\": 70000}");
        db.StringSet("config:redis:badpw", "{\"host\": \"x\", \"password\": 123456789}");
        using var ps = new PsHost(server.Endpoint);

        var all = ps.Run("Get-RedisComponentConfig").All<ComponentConfigInfo>();
        Assert.Equal(new[] { "Alpha", "badport", "badpw", "beta", "broken", "mid", "zeta" }, all.Select(c => c.Component).ToArray());
        var beta = all.Single(c => c.Component == "beta");
        Assert.Equal(("h-beta", 7000, 3, true, (string?)null), (beta.Host, beta.Port, beta.Database, beta.IsValid, beta.Problem));
        var broken = all.Single(c => c.Component == "broken");
        Assert.False(broken.IsValid);
        Assert.Null(broken.Host);
        Assert.Contains("not JSON", broken.Problem);
        Assert.Contains("'port' must be between 1 and 65535", all.Single(c => c.Component == "badport").Problem);
        var badpw = all.Single(c => c.Component == "badpw");
        Assert.False(badpw.IsValid);
        Assert.DoesNotContain("123456789", badpw.Problem);

        Assert.Equal(new[] { "badport", "badpw", "beta", "broken" }, ps.Run("Get-RedisComponentConfig b*").All<ComponentConfigInfo>().Select(c => c.Component).ToArray());
        Assert.Equal(new[] { "badport", "badpw", "broken" }, ps.Run("Get-RedisComponentConfig | Where-Object -Not IsValid").All<ComponentConfigInfo>().Select(c => c.Component).ToArray());
        var table = ps.Render("Get-RedisComponentConfig broken");
        Assert.Matches(@"broken\s+redis\s+False\s+False\s+The value is not JSON", table);
    }

    [Fact]
    public void TypeCompletesFromConfigKeys()
    {
        server.Db().StringSet("config:redis:a", "{}");
        server.Db().StringSet("config:service:billing", "{}");
        server.Db().StringSet("config:search:x", "{}");
        using var ps = new PsHost(server.Endpoint);
        using var shell = PowerShell.Create(ps.Runspace);
        string[] Complete(string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToArray();
        Assert.Equal(new[] { "search", "service" }, Complete("Get-RedisComponentConfig -Type s"));
        Assert.Equal(new[] { "redis", "search", "service" }, Complete("Set-RedisComponentConfig -Component x -Type "));
        Assert.Equal(new[] { "redis" }, Complete("Remove-RedisComponentConfig -Component x -Type r"));
    }

    public void Dispose() => server.Dispose();
}
