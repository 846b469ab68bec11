using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>Cluster answers that remain possible are module errors with ids, never raw exceptions.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterErrorTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    private PsHost Session()
    {
        var ps = new PsHost(TestRedis.Shared.Endpoint, withTestCmdlets: true);
        var name = ClusterHosts.Unique("errcfg");
        ps.Run("Set-RedisComponentConfig -Component $c -Config @{ host = '127.0.0.1'; port = $p }", new() { ["c"] = name, ["p"] = cluster.Ports[0] }).ThrowIfFailed();
        ps.Runspace.SessionStateProxy.SetVariable("component", name);
        return ps;
    }

    [Fact]
    public void A_cross_slot_command_is_ComponentClusterCrossSlot()
    {
        using var ps = Session();
        // Two keys in different slots in one MSET: the client's own check or the server's CROSSSLOT.
        var a = "x:" + ClusterHosts.Unique("a");
        var b = Enumerable.Range(0, 100).Select(i => $"y{i}:{a}").First(k => cluster.Slot(k) != cluster.Slot(a));
        var r = ps.Run("Invoke-TestComponentCommand -Component $component MSET -Arguments $a, 1, $b, 2", new() { ["a"] = a, ["b"] = b });
        Assert.Null(r.Terminating);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("ComponentClusterCrossSlot,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("different slots", error.ToString());
    }

    [Fact]
    public void Cluster_outage_answers_are_ComponentUnreachable_naming_the_reason()
    {
        // The classification of answers a running test cannot provoke on demand (CLUSTERDOWN, TRYAGAIN, unfollowed MOVED).
        var config = RedisComponents.Connections.RedisPyConfig.Parse("{\"host\": \"127.0.0.1\", \"port\": 1}");
        foreach (var (answer, reason) in new[]
                 {
                     ("CLUSTERDOWN The cluster is down", "CLUSTERDOWN"),
                     ("TRYAGAIN Multiple keys request during rehashing of slot", "TRYAGAIN"),
                     ("MOVED 3999 127.0.0.1:6381", "MOVED/ASK"),
                 })
        {
            var why = RedisComponents.Connections.RedisFaults.OutageReason(new StackExchange.Redis.RedisServerException(answer));
            Assert.NotNull(why);
            Assert.Contains(reason, why);
            Assert.True(RedisComponents.Connections.ClusterFaults.NotApplied(new StackExchange.Redis.RedisServerException(answer)));
        }
        Assert.Null(RedisComponents.Connections.ComponentFailures.Classify("c", config, new StackExchange.Redis.RedisServerException("CLUSTERDOWN x")));
        Assert.NotNull(RedisComponents.Connections.ComponentFailures.Classify("c", config, new StackExchange.Redis.RedisServerException("CROSSSLOT Keys in request don't hash to the same slot")));
    }
}
