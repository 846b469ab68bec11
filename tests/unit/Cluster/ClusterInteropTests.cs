using System;
using System.IO;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Logging;
using RedisComponents.Tests.Geo;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// The book's Python (redis-py RedisCluster under /usr/bin/python3) reads what the module wrote on the cluster and
/// the module reads what the book's code wrote, for the single-key patterns whose keys stay byte for byte.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterInteropTests
{
    private const string Book = """
        import json, sys, time
        from redis.cluster import RedisCluster
        conn = RedisCluster(host='127.0.0.1', port=int(sys.argv[1]), decode_responses=True)
        PRECISION = [1, 5, 60, 300, 3600, 18000, 86400]

        def log_recent(conn, name, message, severity='info', pipe=None):
            destination = 'recent:%s:%s' % (name, severity)
            message = time.asctime() + ' ' + message
            pipe = pipe or conn.pipeline()
            pipe.lpush(destination, message)
            pipe.ltrim(destination, 0, 99)
            pipe.execute()

        def update_counter(conn, name, count=1, now=None):
            now = now or time.time()
            pipe = conn.pipeline()
            for prec in PRECISION:
                pnow = int(now / prec) * prec
                hash = '%s:%s' % (prec, name)
                pipe.zadd('known:', {hash: 0})
                pipe.hincrby('count:' + hash, pnow, count)
            pipe.execute()

        def get_counter(conn, name, precision):
            hash = '%s:%s' % (precision, name)
            data = conn.hgetall('count:' + hash)
            return sorted((int(k), int(v)) for k, v in data.items())

        def ip_to_score(ip_address):
            score = 0
            for v in ip_address.split('.'):
                score = score * 256 + int(v, 10)
            return score

        def find_city_by_ip(conn, ip_address):
            if isinstance(ip_address, str):
                ip_address = ip_to_score(ip_address)
            city_id = conn.zrevrangebyscore('ip2cityid:', ip_address, 0, start=0, num=1)
            if not city_id:
                return None
            city_id = city_id[0].partition('_')[0]
            return json.loads(conn.hget('cityid2city:', city_id))

        exec(sys.argv[2])
        """;

    private readonly TestCluster cluster = TestCluster.Shared;

    private string RunBook(string code)
    {
        var run = Python.Run(new[] { "-c", Book, cluster.Ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture), code }, 60);
        Assert.True(run.ExitCode == 0, run.All);
        return run.Output.Trim();
    }

    [Fact]
    public void Recent_log_counters_statistics_and_geo_read_the_same_on_both_sides()
    {
        Assert.True(Python.Available, "/usr/bin/python3 with redis-py is needed for the interop tests");
        using var ps = ClusterHosts.Session();
        var name = ClusterHosts.Unique("py");

        // recent log: module -> Python, Python -> module.
        ps.Run("'one', 'two' | Write-RedisRecentLog -Name $n", new() { ["n"] = name }).ThrowIfFailed();
        var py = RunBook($"print(json.dumps([e[25:] for e in conn.lrange('recent:{name}:info', 0, -1)]))");
        Assert.Equal("[\"two\", \"one\"]", py);
        RunBook($"log_recent(conn, '{name}', 'three')");
        var entries = ps.Run("Get-RedisRecentLog -Name $n", new() { ["n"] = name }).ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal(new[] { "three", "two", "one" }, entries.Select(e => e.Message));

        // counters: module -> book's get_counter, book's update_counter -> Get-RedisCounter.
        var t = new DateTimeOffset(2026, 12, 2, 10, 0, 3, TimeSpan.Zero);
        ps.Run("Update-RedisCounter -Name $n -Count 4 -Timestamp $t", new() { ["n"] = name, ["t"] = t.UtcDateTime }).ThrowIfFailed();
        Assert.Equal($"[[{CounterStore.SlotStart(t.ToUnixTimeSeconds(), 5)}, 4]]", RunBook($"print(json.dumps(get_counter(conn, '{name}', 5)))"));
        RunBook($"update_counter(conn, '{name}', 2, now={t.ToUnixTimeSeconds()})");
        var sample = ps.Run("Get-RedisCounter -Name $n -Precision 60", new() { ["n"] = name }).ThrowIfFailed().Single<CounterSample>();
        Assert.Equal(6, sample.Count);

        // statistics: the book's get_stats is one ZRANGE of stats:C:T.
        ps.Run("2, 4 | Update-RedisStatistic -Context $n -Type Bytes", new() { ["n"] = name }).ThrowIfFailed();
        var stats = RunBook($"print(json.dumps(dict(conn.zrange('stats:{name}:Bytes', 0, -1, withscores=True))))");
        Assert.Contains("\"count\": 2.0", stats);
        Assert.Contains("\"sum\": 6.0", stats);

        // geo: the module's import read by the book's find_city_by_ip.
        var dir = Path.Combine(Path.GetTempPath(), "rc-cluster-py-" + Guid.NewGuid().ToString("N"));
        try
        {
            GeoDataGenerator.WriteSampleSet(dir);
            ps.Run("Import-RedisIpBlock -Path $b | Out-Null; Import-RedisCityLocation -Path $l | Out-Null",
                new() { ["b"] = Path.Combine(dir, "GeoLiteCity-Blocks.csv"), ["l"] = Path.Combine(dir, "GeoLiteCity-Location.csv") }).ThrowIfFailed();
            var first = cluster.Db.SortedSetRangeByRankWithScores("ip2cityid:", 5, 5)[0];
            var address = GeoDataGenerator.Address((long)first.Score, dotted: true);
            var city = ps.Run("Find-RedisCity -IPAddress $a", new() { ["a"] = address }).ThrowIfFailed().Single<RedisComponents.Geo.IpCity>();
            var bookCity = RunBook($"print(json.dumps(find_city_by_ip(conn, '{address}'), ensure_ascii=False))");
            Assert.Equal(new[] { city.City, city.Region, city.Country }, System.Text.Json.JsonSerializer.Deserialize<string[]>(bookCity));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
