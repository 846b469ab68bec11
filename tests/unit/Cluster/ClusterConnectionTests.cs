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
    public void A_connection_string_with_several_hosts_is_stored_as_startup_nodes_and_reaches_the_cluster()
    {
        using var ps = new PsHost(TestRedis.Shared.Endpoint);
        var component = ClusterHosts.Unique("multi");
        var name = ClusterHosts.Unique("multilog");
        var text = $"127.0.0.1:{cluster.Ports[1]},127.0.0.1:{cluster.Ports[2]},connectTimeout=4000,syncTimeout=4500,name=multi-client";
        ps.Run("Set-RedisComponentConfig -Component $c -ConnectionString $s", new() { ["c"] = component, ["s"] = text }).ThrowIfFailed();
        var stored = (string?)TestRedis.Shared.Db().StringGet("config:redis:" + component);
        Assert.Equal($"{{\"startup_nodes\": [{{\"host\": \"127.0.0.1\", \"port\": {cluster.Ports[1]}}}, {{\"host\": \"127.0.0.1\", \"port\": {cluster.Ports[2]}}}], " +
                     "\"socket_timeout\": 4.5, \"socket_connect_timeout\": 4.0, \"client_name\": \"multi-client\"}", stored);
        ps.Run("1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component $c -Name $n", new() { ["n"] = name }).ThrowIfFailed();
        Assert.Equal(20, cluster.Db.ListLength($"recent:{name}:info"));
        var info = ps.Run("Get-RedisComponentConnection -Component $c").ThrowIfFailed().Single<ComponentConnectionInfo>();
        Assert.True(info.IsCluster);
        Assert.Equal("Cluster", info.Deployment);

        // db other than 0 cannot be a cluster: refused with the module's id, nothing stored.
        var bad = ps.Run("Set-RedisComponentConfig -Component $b -ConnectionString $s", new() { ["b"] = component + "db", ["s"] = text + ",defaultDatabase=2" });
        Assert.StartsWith("ComponentConfigInvalid,", Assert.Single(bad.Errors).FullyQualifiedErrorId);
        Assert.False(TestRedis.Shared.Db().KeyExists("config:redis:" + component + "db"));
    }

    [Fact]
    public void Connect_RedisConfigServer_with_several_hosts_uses_the_cluster_as_config_server()
    {
        using var ps = new PsHost(TestRedis.Shared.Endpoint);
        ps.Run("Connect-RedisConfigServer $s -RefreshSeconds 0", new() { ["s"] = $"127.0.0.1:{cluster.Ports[0]},127.0.0.1:{cluster.Ports[2]}" }).ThrowIfFailed();
        var stem = ClusterHosts.Unique("mcfg");
        var names = Enumerable.Range(1, 12).Select(i => $"{stem}-{i}-{System.Guid.NewGuid().ToString("N")[..8]}").ToArray();
        ps.Run("foreach ($n in $names) { Set-RedisComponentConfig -Component $n -Config @{ host = '127.0.0.1'; port = 1 } }", new() { ["names"] = names }).ThrowIfFailed();
        Assert.True(names.Select(n => cluster.PortOf("config:redis:" + n)).Distinct().Count() >= 2, "the configs landed on one node only");
        var listed = ps.Run("Get-RedisComponentConfig -Component $p", new() { ["p"] = stem + "-*" }).ThrowIfFailed().All<RedisComponents.Configuration.ComponentConfigInfo>();
        Assert.Equal(12, listed.Count);
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
