using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Counters;

namespace RedisComponents.Tests.Cluster;

/// <summary>The cluster counter writes against the cluster directly: exactly once per precision when a batch is resent.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCounterStoreTests
{
    private const long T = 1_764_670_003;
    private readonly TestCluster cluster = TestCluster.Shared;

    [Fact]
    public async Task A_resent_batch_counts_once_at_every_precision()
    {
        var name = ClusterHosts.Unique("once");
        var items = new[] { new CounterIncrement(name, 3, T), new CounterIncrement(name, 2, T + 7) };
        Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "batch-1"));
        Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "batch-1")); // a resend after a lost reply
        Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "batch-2")); // a new batch counts
        foreach (var p in CounterStore.Precisions)
        {
            Assert.Equal(10, cluster.Db.HashValues($"count:{p}:{name}").Sum(v => (long)v));
            Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{name}"));
        }
    }

    [Fact]
    public async Task A_wrong_typed_counter_key_rejects_its_items_and_undoes_nothing_else()
    {
        var name = ClusterHosts.Unique("wrong");
        cluster.Db.StringSet($"count:60:{name}", "not a hash");
        try
        {
            var rejected = await ClusterCounterStore.UpdateAsync(cluster.Db, new[] { new CounterIncrement(name, 1, T) });
            var r = Assert.Single(rejected);
            Assert.Equal($"count:60:{name}", r.Key);
            Assert.StartsWith("WRONGTYPE", r.ServerMessage);
            Assert.Equal(1, cluster.Db.HashValues($"count:5:{name}").Sum(v => (long)v)); // other precisions applied (documented)
        }
        finally
        {
            // known: is shared by every test on the cluster: leave no member whose key the cleaner cannot read.
            cluster.Db.KeyDelete($"count:60:{name}");
            cluster.Db.SortedSetRemove("known:", CounterStore.Precisions.Select(p => (StackExchange.Redis.RedisValue)$"{p}:{name}").ToArray());
        }
    }
}
