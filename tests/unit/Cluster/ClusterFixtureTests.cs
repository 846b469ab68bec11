using System.Linq;

namespace RedisComponents.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ClusterFixtureTests
{
    [Fact]
    public void The_fixture_runs_three_primaries_that_agree_on_every_slot()
    {
        var cluster = TestCluster.Shared;
        cluster.WaitHealthy();
        Assert.Equal(3, cluster.PrimaryPorts().Count);
        cluster.Db.StringSet("fixture:probe", "1");
        Assert.Equal("1", (string?)cluster.Db.StringGet("fixture:probe"));
    }
}
