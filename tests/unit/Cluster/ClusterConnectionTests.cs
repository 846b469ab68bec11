using System.Linq;
using RedisComponents.Connections;
using RedisComponents.Connections.Commands;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>Configs naming a cluster: one node (discovery) or startup_nodes; db on a cluster; the connection view.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterConnectionTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    [Fact]
    public void One_node_is_enough_the_deployment_is_detected_and_shown()
    {
        using var ps = ClusterHosts.Session();
        var test = ps.Run("Test-RedisComponent $component").ThrowIfFailed().Single<ComponentTestResult>();
        Assert.True(test.Reachable, test.Error);
        var info = ps.Run("Get-RedisComponentConnection").ThrowIfFailed().Single<ComponentConnectionInfo>();
        Assert.True(info.IsCluster);
        Assert.Equal("Cluster", info.Deployment);
        Assert.Equal(6, info.NodeCount);
        var screen = ps.Render("Get-RedisComponentConnection");
        Assert.Contains("Deployment", screen);
        Assert.Contains("NodeCount", screen);
    }

    [Fact]
    public void Startup_nodes_name_several_seeds()
    {
        using var ps = ClusterHosts.Session(json: ClusterHosts.StartupNodesJson(cluster.Ports[1], cluster.Ports[2]));
        var name = ClusterHosts.Unique("seeds");
        ps.Run("1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Name $n", new() { ["n"] = name }).ThrowIfFailed();
        Assert.Equal(20, cluster.Db.ListLength($"recent:{name}:info"));
        var info = ps.Run("Get-RedisComponentConnection").ThrowIfFailed().Single<ComponentConnectionInfo>();
        Assert.True(info.IsCluster);
    }

    [Fact]
    public void A_standalone_server_stays_standalone()
    {
        using var ps = new PsHost(TestRedis.Shared.Endpoint);
        ps.Run("Set-RedisComponentConfig -Component $c -ConnectionString $e", new() { ["c"] = ClusterHosts.Unique("solo"), ["e"] = TestRedis.Shared.Endpoint }).ThrowIfFailed();
        var name = (string)ps.Runspace.SessionStateProxy.GetVariable("c")!;
        ps.Run("Test-RedisComponent $c | Out-Null").ThrowIfFailed();
        var info = ps.Run("Get-RedisComponentConnection").ThrowIfFailed().Output.Select(o => (ComponentConnectionInfo)o.BaseObject).Single(i => i.Component == name);
        Assert.False(info.IsCluster);
        Assert.Equal("Standalone", info.Deployment);
        Assert.Equal(1, info.NodeCount);
    }

    [Fact]
    public void A_db_other_than_0_on_a_discovered_cluster_is_an_invalid_config()
    {
        using var ps = ClusterHosts.Session(json: $"{{\"host\": \"127.0.0.1\", \"port\": {cluster.Ports[0]}, \"db\": 2}}");
        var result = ps.Run("Write-RedisRecentLog -Name x -Message m");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ComponentConfigInvalid,RedisComponents.Logging.Commands.WriteRedisRecentLogCommand", error.FullyQualifiedErrorId);
        Assert.Contains("only database 0", error.ToString());
        var test = ps.Run("Test-RedisComponent $component").Single<ComponentTestResult>();
        Assert.False(test.Reachable);
        Assert.Contains("only database 0", test.Error);
    }

    [Theory]
    [InlineData("{\"startup_nodes\": [{\"host\": \"127.0.0.1\", \"port\": 7000}], \"db\": 1}", "only database 0")]
    [InlineData("{\"startup_nodes\": []}", "non-empty list")]
    [InlineData("{\"startup_nodes\": [[\"127.0.0.1\", 7000]]}", "is not an object")]
    [InlineData("{\"startup_nodes\": [{\"host\": \"127.0.0.1\", \"port\": \"x\"}]}", "port")]
    [InlineData("{\"startup_nodes\": [{\"port\": 7000}]}", "has no host")]
    [InlineData("{\"startup_nodes\": [{\"host\": \"h\", \"port\": 1, \"weight\": 2}]}", "'weight'")]
    [InlineData("{\"startup_nodes\": [{\"host\": \"h\", \"port\": 1}], \"service_name\": \"m\", \"sentinels\": [[\"h\", 1]]}", "cannot be combined")]
    public void Set_RedisComponentConfig_validates_startup_nodes(string json, string expected)
    {
        using var ps = new PsHost(TestRedis.Shared.Endpoint);
        var result = ps.Run("Set-RedisComponentConfig -Component $c -Config $j", new() { ["c"] = ClusterHosts.Unique("bad"), ["j"] = json });
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ComponentConfigInvalid", error.FullyQualifiedErrorId);
        Assert.Contains(expected, error.ToString());
    }
}
