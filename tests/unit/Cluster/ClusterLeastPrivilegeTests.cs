using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// A cluster user needs the feature's commands (README "Connection management") plus only +cluster|nodes and
/// +asking (README "Redis Cluster"); detection needs nothing more (HELLO is allowed to every user).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterLeastPrivilegeTests
{
    private const string Password = "cl-Pw";
    private static readonly string[] ClusterExtra = { "+cluster|nodes", "+asking" };
    private static readonly string[] RecentLog = { "+ping", "+lpush", "+ltrim", "+multi", "+exec", "+lrange" };
    private static readonly string[] Counters = { "+ping", "+evalsha", "+eval", "+script|load", "+exists", "+type", "+set", "+zadd", "+hincrby", "+hgetall", "+get", "+incr", "+zmscore", "+zcard", "+zscan", "+hkeys", "+hdel", "+hlen", "+zrem" };

    // README "Redis Cluster", the cluster rows of the common log and the statistics (scripts, no WATCH/MULTI).
    private static readonly string[] CommonLog = { "+ping", "+evalsha", "+eval", "+script|load", "+type", "+get", "+set", "+exists", "+rename", "+zincrby", "+lpush", "+ltrim", "+zrevrange" };
    private static readonly string[] Statistics = { "+ping", "+evalsha", "+eval", "+script|load", "+type", "+get", "+set", "+exists", "+rename", "+zadd", "+zincrby", "+zrange" };
    private static readonly string[] AccessTime = Statistics.Concat(new[] { "+multi", "+exec", "+zremrangebyrank", "+zrevrange" }).ToArray();

    private readonly TestCluster cluster = TestCluster.Shared;

    private void User(string name, string[] rules)
    {
        foreach (var port in cluster.Ports)
        {
            var reply = TestCluster.Cli(port, new[] { "ACL", "SETUSER", name, "reset", "on", ">" + Password, "~*" }.Concat(rules).ToArray()).Trim();
            Assert.Equal("OK", reply);
        }
    }

    private PsHost Host(string user) =>
        ClusterHosts.Session(json: $"{{\"host\": \"127.0.0.1\", \"port\": {cluster.Ports[0]}, \"username\": \"{user}\", \"password\": \"{Password}\", \"socket_timeout\": 2}}");

    [Fact]
    public void Recent_log_and_counters_run_with_their_commands_plus_cluster_nodes_and_asking()
    {
        var user = ClusterHosts.Unique("acl");
        User(user, RecentLog.Concat(Counters).Concat(ClusterExtra).Distinct().ToArray());
        using var ps = Host(user);
        var name = ClusterHosts.Unique("aclname");
        var r = ps.Run("1..30 | ForEach-Object { [pscustomobject]@{ Name = \"$n-$_\"; Message = 'm' } } | Write-RedisRecentLog; Get-RedisRecentLog -Name \"$n-3\"; " +
                       "1..30 | ForEach-Object { \"$n-$_\" } | Update-RedisCounter; Get-RedisCounter -Name \"$n-3\" -Precision 5; Invoke-RedisCounterCleanup -Confirm:$false",
            new() { ["n"] = name });
        Assert.True(r.Succeeded, r.Describe());
        Assert.Equal(3, r.Output.Count);
        var info = ps.Run("Get-RedisComponentConnection").ThrowIfFailed().Single<RedisComponents.Connections.ComponentConnectionInfo>();
        Assert.True(info.IsCluster);
    }

    [Theory]
    [InlineData("common")]
    [InlineData("stats")]
    [InlineData("access")]
    public void Common_log_and_statistics_run_with_their_cluster_rows(string feature)
    {
        var user = ClusterHosts.Unique("acl" + feature);
        User(user, (feature switch { "common" => CommonLog, "stats" => Statistics, _ => AccessTime }).Concat(ClusterExtra).ToArray());
        using var ps = Host(user);
        var script = feature switch
        {
            "common" => "1..30 | ForEach-Object { [pscustomobject]@{ Name = \"$n-$_\"; Message = 'm' } } | Write-RedisCommonLog; Get-RedisCommonLog -Name \"$n-3\"",
            "stats" => "1..30 | ForEach-Object { [pscustomobject]@{ Context = \"$n-$_\"; Value = 2 } } | Update-RedisStatistic -Type N; Get-RedisStatistic -Context \"$n-3\" -Type N",
            _ => "Measure-RedisAccessTime -Context $n -ScriptBlock { 1 } | Out-Null; Get-RedisAccessTime",
        };
        var r = ps.Run(script, new() { ["n"] = ClusterHosts.Unique("aclname") });
        Assert.True(r.Succeeded, r.Describe());
        Assert.NotEmpty(r.Output);
    }

    [Fact]
    public void Without_cluster_nodes_the_denial_names_the_command()
    {
        var user = ClusterHosts.Unique("aclno");
        User(user, RecentLog);
        using var ps = Host(user);
        var r = ps.Run("Write-RedisRecentLog -Name x -Message m");
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("ComponentPermissionDenied,", error.FullyQualifiedErrorId);
        Assert.Contains("cluster", error.ToString(), System.StringComparison.OrdinalIgnoreCase);
    }
}
