using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Geo;
using RedisComponents.Tests.Geo;
using StackExchange.Redis;

namespace RedisComponents.Bench.Scenarios;

/// <summary>
/// P5: 100k IPv4 addresses piped into Find-RedisCity against the same lookups done raw from this
/// process: pipelined ZREVRANGEBYSCORE for a batch of 1000, then a pipelined HGET per block found.
/// </summary>
internal sealed class GeoLookupScenario : IScenario
{
    private const int Batch = 1000;

    public string Id => "P5";
    public string Title => "Find-RedisCity: 100k piped addresses vs raw pipelined ZREVRANGEBYSCORE+HGET";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        using var files = new GeoBenchFiles();
        var host = context.NewHost();
        var blocks = files.File("blocks.csv");
        var cities = files.File("cities.csv");
        GeoDataGenerator.WriteLegacyBlocks(blocks, 200_000, 5_000);
        GeoDataGenerator.WriteLegacyLocations(cities, 5_000);
        host.Run("Import-RedisIpBlock -Component bench -Path $b; Import-RedisCityLocation -Component bench -Path $c", new() { ["b"] = blocks, ["c"] = cities }).ThrowIfFailed();

        var db = context.Raw.GetDatabase();
        var first = (long)db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId, 0, 0)[0].Score;
        var last = (long)db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId, -1, -1)[0].Score;
        var random = new Random(5);
        var count = context.Scale(100_000);
        var ips = Enumerable.Range(0, count).Select(_ => IpAddressScore.FormatIPv4((uint)random.NextInt64(first, last))).ToArray();

        // Alternate the two so load from elsewhere on the machine hits both alike; medians of 5 after a warm-up each.
        int found = 0, rawFound = 0;
        void Ours() => found = host.Run("$ips | Find-RedisCity -Component bench -ErrorAction SilentlyContinue", new() { ["ips"] = ips }).Output.Count;
        void Raw() => rawFound = RawLookup(db, ips);
        Ours();
        Raw();
        var oursTimes = new List<TimeSpan>();
        var rawTimes = new List<TimeSpan>();
        for (var run = 0; run < 5; run++)
        {
            oursTimes.Add(Time(Ours));
            rawTimes.Add(Time(Raw));
        }
        var ours = oursTimes.Order().ElementAt(2);
        var raw = rawTimes.Order().ElementAt(2);
        var ratio = raw.TotalSeconds / ours.TotalSeconds;
        return new[]
        {
            new BenchRow(Id, $"{count:N0} lookups piped ({found:N0} found; raw, no gap check: {rawFound:N0})",
                $"{Measure.Ms(ours)} ({Measure.PerSecond(count / ours.TotalSeconds)})", $"{Measure.Ms(raw)} ({Measure.PerSecond(count / raw.TotalSeconds)})",
                Measure.Ratio(ratio), "≥ 0.6×", ratio >= 0.6),
        };
    }

    private static TimeSpan Time(Action action)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    /// <summary>The book's find_city_by_ip, pipelined per batch; returns how many got a city.</summary>
    private static int RawLookup(IDatabase db, string[] ips)
    {
        var found = 0;
        foreach (var chunk in ips.Chunk(Batch))
        {
            var ranges = chunk.Select(ip =>
            {
                IpAddressScore.TryParseIPv4(ip, out var score);
                return db.SortedSetRangeByScoreAsync(GeoKeys.IpToCityId, 0, score, Exclude.None, Order.Descending, 0, 1);
            }).ToArray();
            Task.WaitAll(ranges);
            var cities = ranges.Where(r => r.Result.Length > 0)
                .Select(r => db.HashGetAsync(GeoKeys.CityIdToCity, r.Result[0].ToString().Split('_')[0])).ToArray();
            Task.WaitAll(cities);
            found += cities.Count(c => !c.Result.IsNull);
        }
        return found;
    }
}
