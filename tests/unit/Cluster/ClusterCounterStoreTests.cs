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

    /// <summary>Removes the test's counters from the shared known: (the cleaner of other tests must not meet keys it cannot read).</summary>
    private void Forget(params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var p in CounterStore.Precisions) cluster.Db.KeyDelete($"count:{p}:{name}");
            cluster.Db.SortedSetRemove("known:", CounterStore.Precisions.Select(p => (StackExchange.Redis.RedisValue)$"{p}:{name}").ToArray());
        }
    }

    private void AssertUntouched(string name, int except)
    {
        foreach (var p in CounterStore.Precisions.Where(p => p != except))
        {
            Assert.False(cluster.Db.KeyExists($"count:{p}:{name}"), $"count:{p}:{name} was written");
        }
        foreach (var p in CounterStore.Precisions) Assert.Null(cluster.Db.SortedSetScore("known:", $"{p}:{name}"));
    }

    [Fact]
    public async Task A_wrong_typed_counter_key_rejects_the_whole_item_and_the_rest_of_the_batch_goes_in()
    {
        var name = ClusterHosts.Unique("wrong");
        var good = ClusterHosts.Unique("good");
        cluster.Db.StringSet($"count:60:{name}", "not a hash");
        try
        {
            var rejected = await ClusterCounterStore.UpdateAsync(cluster.Db, new[] { new CounterIncrement(good, 2, T), new CounterIncrement(name, 1, T), new CounterIncrement(good, 1, T) });
            var r = Assert.Single(rejected);
            Assert.Equal((name, $"count:60:{name}", 1, false), (r.Name, r.Key, r.Items, r.Overflow));
            Assert.StartsWith("WRONGTYPE", r.ServerMessage);
            Assert.Equal(new[] { 1 }, r.ItemIndices);
            AssertUntouched(name, except: 60); // none of its 7 precisions, no known: entry (as on a standalone server)
            Assert.Equal("not a hash", (string?)cluster.Db.StringGet($"count:60:{name}"));
            foreach (var p in CounterStore.Precisions)
            {
                Assert.Equal(3, cluster.Db.HashValues($"count:{p}:{good}").Sum(v => (long)v));
                Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{good}"));
            }
        }
        finally
        {
            Forget(name, good);
        }
    }

    [Fact]
    public async Task A_sample_that_is_not_an_integer_or_a_total_that_would_overflow_rejects_the_whole_item()
    {
        var text = ClusterHosts.Unique("text");
        var full = ClusterHosts.Unique("full");
        var slot = T / 86400 * 86400;
        cluster.Db.HashSet($"count:5:{text}", T / 5 * 5, "x");
        cluster.Db.HashSet($"count:86400:{full}", slot, long.MaxValue - 1);
        try
        {
            var rejected = await ClusterCounterStore.UpdateAsync(cluster.Db, new[] { new CounterIncrement(text, 1, T), new CounterIncrement(full, 2, T) });
            var byName = rejected.ToDictionary(r => r.Name);
            Assert.Equal(($"count:5:{text}", false), (byName[text].Key, byName[text].Overflow));
            Assert.Contains("not an integer", byName[text].ServerMessage);
            Assert.Equal(($"count:86400:{full}", true), (byName[full].Key, byName[full].Overflow));
            AssertUntouched(text, except: 5);
            AssertUntouched(full, except: 86400);
            Assert.Equal(long.MaxValue - 1, (long)cluster.Db.HashGet($"count:86400:{full}", slot));
            Assert.Equal(1, cluster.Db.HashLength($"count:5:{text}"));
            // One more hit still fits: it is applied at every precision.
            Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, new[] { new CounterIncrement(full, 1, T) }));
            Assert.Equal(long.MaxValue, (long)cluster.Db.HashGet($"count:86400:{full}", slot));
            Assert.Equal(1, cluster.Db.HashValues($"count:1:{full}").Sum(v => (long)v));
        }
        finally
        {
            Forget(text, full);
        }
    }
}
