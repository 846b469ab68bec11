using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// Geo imports swap one file at a time on the cluster: while Import-RedisIpBlock and Import-RedisCityLocation replace
/// the indexes again and again, every Find-RedisCity batch in other runspaces is answered from one blocks file and one
/// locations file, never a mix.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterGeoSwapTests
{
    private const int Blocks = 300;

    /// <summary>
    /// Blocks file A: block i is i*100 .. i*100+49, city 1. File B: i*100 .. i*100+99, city 2 (same rows, so members
    /// <c>1_r</c> vs <c>2_r</c>). Locations L1 name cities 1 and 2 "A1", "B1"; L2 "A2", "B2". An address i*100+70 is
    /// in a gap under A and in city 2 under B; answered with A's block but B's ends it would come out as city 1 —
    /// a mix. One batch's cities must all carry one file's letter and one locations file's digit.
    /// </summary>
    private static void WriteFiles(string dir)
    {
        foreach (var (name, width, city) in new[] { ("A", 49, 1), ("B", 99, 2) })
        {
            var text = new StringBuilder("startIpNum,endIpNum,locId\n");
            for (var i = 1; i <= Blocks; i++) text.Append($"{i * 100},{i * 100 + width},{city}\n");
            File.WriteAllText(Path.Combine(dir, name + ".csv"), text.ToString(), Encoding.Latin1);
        }
        foreach (var n in new[] { 1, 2 })
        {
            File.WriteAllText(Path.Combine(dir, $"L{n}.csv"),
                "locId,country,region,city,postalCode,latitude,longitude,metroCode,areaCode\n" +
                $"1,\"US\",\"R\",\"A{n}\",\"\",0,0,,\n2,\"US\",\"R\",\"B{n}\",\"\",0,0,,\n", Encoding.Latin1);
        }
    }

    [Fact]
    public async Task Readers_see_one_blocks_file_and_one_locations_file_per_batch_while_both_are_replaced_over_and_over()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rc-cluster-geoswap-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var hosts = Enumerable.Range(0, 4).Select(_ => ClusterHosts.Session()).ToList();
        try
        {
            WriteFiles(dir);
            var files = new Dictionary<string, object?> { ["dir"] = dir };
            hosts[0].Run("Import-RedisIpBlock -Path \"$dir/A.csv\" | Out-Null; Import-RedisCityLocation -Path \"$dir/L1.csv\" | Out-Null", files).ThrowIfFailed();

            // 10 addresses inside each block, 70 in A's gap: A answers 300 (A?) + 300 CityNotFound, B answers 600 (B?).
            var addresses = Enumerable.Range(1, Blocks).SelectMany(i => new[] { (i * 100 + 10).ToString(), (i * 100 + 70).ToString() }).ToArray();
            var importers = new[]
            {
                Task.Run(() => hosts[0].Run("foreach ($i in 1..25) { foreach ($f in 'B', 'A') { Import-RedisIpBlock -Path \"$dir/$f.csv\" | Out-Null } }", files).ThrowIfFailed()),
                Task.Run(() => hosts[1].Run("foreach ($i in 1..25) { foreach ($f in 'L2', 'L1') { Import-RedisCityLocation -Path \"$dir/$f.csv\" | Out-Null } }", files).ThrowIfFailed()),
            };
            var readers = hosts.Skip(2).Select(ps => Task.Run(() =>
            {
                var seen = new List<string>();
                while (!importers.All(t => t.IsCompleted) || seen.Count < 5)
                {
                    // One Find-RedisCity call of 600 addresses is one batch: its answers, summarised.
                    var r = ps.Run("Find-RedisCity -IPAddress $a", new() { ["a"] = addresses });
                    if (r.Terminating is not null) throw r.Terminating;
                    var bad = r.Errors.FirstOrDefault(e => !e.FullyQualifiedErrorId.StartsWith("CityNotFound", StringComparison.Ordinal));
                    if (bad is not null) throw new InvalidOperationException("unexpected error: " + bad);
                    var cities = r.All<RedisComponents.Geo.IpCity>().Select(c => c.City).ToList();
                    seen.Add($"{string.Concat(cities.Select(c => c[0]).Distinct().Order())}/{string.Concat(cities.Select(c => c[1]).Distinct().Order())}/{cities.Count}/{r.Errors.Count}");
                }
                return seen;
            })).ToArray();
            await Task.WhenAll(importers).WaitAsync(TimeSpan.FromMinutes(4));
            var seen = (await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(s => s).ToList();

            var consistent = new[] { "A/1/300/300", "A/2/300/300", "B/1/600/0", "B/2/600/0" };
            var mixed = seen.Where(s => !consistent.Contains(s)).Distinct().ToList();
            Assert.True(mixed.Count == 0, $"{seen.Count} batches read; mixed answers: {string.Join(", ", mixed)}");
            // The test can fail only if the readers ran while both files were being replaced.
            Assert.True(seen.Select(s => s[0]).Distinct().Count() == 2 && seen.Select(s => s[2]).Distinct().Count() == 2,
                "the readers did not see both versions of both files: " + string.Join(", ", seen.Distinct()));
            Assert.Empty(cluster.AllKeys("*importing*"));
        }
        finally
        {
            foreach (var ps in hosts) ps.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    private readonly TestCluster cluster = TestCluster.Shared;
}
