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
    public async Task A_batch_over_many_counters_goes_in_node_chunks_and_a_resend_counts_once()
    {
        var names = Enumerable.Range(0, 60).Select(_ => ClusterHosts.Unique("chunk")).ToArray();
        var items = names.SelectMany(n => new[] { new CounterIncrement(n, 2, T), new CounterIncrement(n, 1, T + 1) }).ToArray();
        try
        {
            Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "chunks-1"));
            Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "chunks-1"));
            // A chunk script holds keys of many slots: its token is in the slot of its first key, one per node chunk.
            var tokens = names.SelectMany(n => CounterStore.Precisions.SelectMany(p => cluster.AllKeys("{count:" + p + ":" + n + "}:batch:chunks-1:*"))).ToList();
            Assert.InRange(tokens.Count, 3, 3 * 7);
            foreach (var n in names)
            {
                foreach (var p in CounterStore.Precisions)
                {
                    Assert.Equal(3, cluster.Db.HashValues($"count:{p}:{n}").Sum(v => (long)v));
                    Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{n}"));
                }
            }
        }
        finally
        {
            Forget(names);
        }
    }

    [Fact]
    public async Task Key_by_key_a_resend_counts_once_and_a_refused_item_leaves_nothing()
    {
        var name = ClusterHosts.Unique("perkey");
        var wrong = ClusterHosts.Unique("perkeywrong");
        cluster.Db.StringSet($"count:300:{wrong}", "not a hash");
        var items = new[] { new CounterIncrement(name, 3, T), new CounterIncrement(wrong, 1, T) };
        try
        {
            Assert.Single(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "perkey-1", perKey: true));
            Assert.Single(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "perkey-1", perKey: true));
            foreach (var p in CounterStore.Precisions) Assert.Equal(3, cluster.Db.HashValues($"count:{p}:{name}").Sum(v => (long)v));
            AssertUntouched(wrong, except: 300);
        }
        finally
        {
            Forget(name, wrong);
        }
    }

    [Fact]
    public async Task A_refused_item_takes_back_its_other_precisions_and_only_the_entries_it_added()
    {
        // The precisions of one item are in different slots: those that went in before 300 refused are taken back,
        // exactly (a resend takes nothing back twice), and the entry of a counter listed before stays.
        var name = ClusterHosts.Unique("undo");
        Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, new[] { new CounterIncrement(name, 5, T) }));
        cluster.Db.KeyDelete($"count:300:{name}");
        cluster.Db.SortedSetRemove("known:", $"300:{name}");
        cluster.Db.StringSet($"count:300:{name}", "not a hash");
        try
        {
            var items = new[] { new CounterIncrement(name, 2, T), new CounterIncrement(name, 1, T + 3600) };
            Assert.Equal($"count:300:{name}", Assert.Single(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "undo-1")).Key);
            Assert.Single(await ClusterCounterStore.UpdateAsync(cluster.Db, items, "undo-1"));
            foreach (var p in CounterStore.Precisions.Where(p => p != 300))
            {
                Assert.Equal(new[] { (CounterStore.SlotStart(T, p), 5L) },
                    cluster.Db.HashGetAll($"count:{p}:{name}").Select(e => ((long)e.Name, (long)e.Value)).ToArray());
                Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{name}"));
            }
            Assert.Null(cluster.Db.SortedSetScore("known:", $"300:{name}"));
        }
        finally
        {
            Forget(name);
        }
    }

    [Fact]
    public async Task A_call_holding_keys_of_other_nodes_applies_nothing_and_goes_key_by_key()
    {
        // As after a slot moved: the call reaches a node that serves only some of its keys.
        var names = Enumerable.Range(0, 12).Select(_ => ClusterHosts.Unique("stale")).ToArray();
        var parts = ClusterCounterApply.PartsOf(CounterFold.Of(names.Select(n => new CounterIncrement(n, 4, T))).Segments);
        Assert.Equal(3, parts.Select(p => cluster.PortOf(p.Key)).Distinct().Count());
        try
        {
            Assert.All(await ClusterCounterApply.ApplyAsync(cluster.Db, parts, "stale-1", oneChunk: true), r => Assert.Equal("", r));
            Assert.All(await ClusterCounterApply.ApplyAsync(cluster.Db, parts, "stale-1", oneChunk: true), r => Assert.Equal("", r));
            Assert.All(parts, p => Assert.Equal(4, cluster.Db.HashValues(p.Key).Sum(v => (long)v)));
        }
        finally
        {
            Forget(names);
        }
    }

    [Fact]
    public async Task Samples_written_after_the_cleaner_forgot_their_counter_list_it_again()
    {
        // The interleaving the cleaner's re-check cannot see: the update's ZADD known: came before the cleaner's ZREM,
        // its samples after the cleaner's second look at the hash. The cleaner's mark makes the update list it again.
        var name = ClusterHosts.Unique("late");
        var member = $"60:{name}";
        cluster.Db.SortedSetAdd("known:", member, 0);
        try
        {
            Assert.Equal(new[] { member }, await ClusterCounterForget.ForgetAsync(cluster.Db, new[] { member }));
            Assert.Null(cluster.Db.SortedSetScore("known:", member));
            var segment = CounterFold.Of(new[] { new CounterIncrement(name, 1, T) }).Segments;
            var parts = ClusterCounterApply.PartsOf(segment).Where(p => p.Key == "count:" + member).ToList();
            Assert.Equal(new[] { ClusterCounterApply.Relist }, await ClusterCounterApply.ApplyAsync(cluster.Db, parts, "late-1"));
            // The whole update does the same and writes the entry again after its samples.
            Assert.Empty(await ClusterCounterStore.UpdateAsync(cluster.Db, new[] { new CounterIncrement(name, 1, T) }));
            Assert.Equal(0, cluster.Db.SortedSetScore("known:", member));
            Assert.Equal(2, cluster.Db.HashValues("count:" + member).Sum(v => (long)v));
            // A counter with samples is not forgotten.
            Assert.Empty(await ClusterCounterForget.ForgetAsync(cluster.Db, new[] { member }));
            Assert.Equal(0, cluster.Db.SortedSetScore("known:", member));
        }
        finally
        {
            Forget(name);
            cluster.Db.KeyDelete(ClusterCounterForget.MarkKey("count:" + member));
        }
    }

    [Fact]
    public async Task Concurrent_writers_and_a_cleaner_count_every_item_once_and_leave_nothing_of_a_refused_one()
    {
        var now = System.DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var good = Enumerable.Range(0, 20).Select(_ => ClusterHosts.Unique("conc")).ToArray();
        var bad = ClusterHosts.Unique("concbad");
        cluster.Db.StringSet($"count:3600:{bad}", "not a hash");
        try
        {
            // Each batch: every good counter twice and a fresh one (empty in known: until its sample), and the refused one.
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var b = 0; b < 10; b++)
                {
                    var items = good.Select(n => new CounterIncrement(n, 2, now)).Append(new CounterIncrement(bad, 1, now))
                        .Append(new CounterIncrement($"{good[0]}-{w}-{b}", 1, now)).ToArray();
                    var rejected = await ClusterCounterStore.UpdateAsync(cluster.Db, items);
                    Assert.Equal((bad, $"count:3600:{bad}"), (Assert.Single(rejected).Name, rejected[0].Key));
                }
            })).ToArray();
            var cleaner = new CounterCleaner();
            while (!writers.All(w => w.IsCompleted)) cleaner.RunPass(cluster.Db, cluster: true);
            await Task.WhenAll(writers);
            // A refused item's entry put back for a moment's sample of a concurrent refused batch: its hash is empty, the cleaner's (pass 0 visits every precision).
            new CounterCleaner().RunPass(cluster.Db, cluster: true);
            foreach (var p in CounterStore.Precisions)
            {
                Assert.All(good, n => Assert.Equal(4 * 10 * 2, cluster.Db.HashValues($"count:{p}:{n}").Sum(v => (long)v)));
                Assert.All(good, n => Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{n}")));
                for (var w = 0; w < 4; w++)
                {
                    for (var b = 0; b < 10; b++) Assert.Equal(0, cluster.Db.SortedSetScore("known:", $"{p}:{good[0]}-{w}-{b}"));
                }
                Assert.Null(cluster.Db.SortedSetScore("known:", $"{p}:{bad}"));
            }
            AssertUntouched(bad, except: 3600);
        }
        finally
        {
            Forget(good.Concat(Enumerable.Range(0, 40).Select(i => $"{good[0]}-{i / 10}-{i % 10}")).Append(bad).ToArray());
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
