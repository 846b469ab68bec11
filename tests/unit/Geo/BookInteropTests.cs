using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using RedisComponents.Geo;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Geo;

/// <summary>
/// Our keys are the book's: the book's own Python (tests/unit/Geo/book53.py, redis-py) imports the same
/// files into another database and must produce byte-identical keys, and its find_city_by_ip must read
/// what we imported. Without python3 + redis-py the layout is still checked against the file, line by line.
/// </summary>
public class BookInteropTests : IClassFixture<GeoFixture>
{
    private static readonly string Samples = Path.Combine(RepositoryRoot.Path, "examples", "data");
    private readonly GeoFixture fixture;

    public BookInteropTests(GeoFixture fixture) => this.fixture = fixture;

    private static string Sample(string name) => Path.Combine(Samples, name);

    private IDatabase ImportLegacySamples()
    {
        var db = fixture.Fresh();
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, Sample("GeoLiteCity-Blocks.csv"));
        GeoImportTests.Import(db, GeoImportKind.CityLocations, Sample("GeoLiteCity-Location.csv"));
        return db;
    }

    [Fact]
    public void OurImportIsByteIdenticalToTheBooksImport()
    {
        var ours = ImportLegacySamples();
        if (Python.Available)
        {
            var book = fixture.Server.Db(2);
            book.Execute("FLUSHDB");
            var run = RunPython(BookScript, "import", fixture.Server.Host, fixture.Server.Port.ToString(CultureInfo.InvariantCulture), "2",
                Sample("GeoLiteCity-Blocks.csv"), Sample("GeoLiteCity-Location.csv"));
            Assert.True(run.ExitCode == 0, run.All);
            Assert.Equal(RawZRange(book, GeoKeys.IpToCityId), RawZRange(ours, GeoKeys.IpToCityId));
            Assert.Equal(RawHash(book, GeoKeys.CityIdToCity), RawHash(ours, GeoKeys.CityIdToCity));
        }

        // With or without Python: every member is locId_<record number>, every score the start, every city the book's JSON.
        var lines = File.ReadAllLines(Sample("GeoLiteCity-Blocks.csv"), Encoding.Latin1);
        var expected = lines.Select((line, n) => (line, n)).Skip(2).Where(x => x.line.Length > 0)
            .Select(x => x.line.Replace("\"", "").Split(','))
            .Zip(lines.Select((line, n) => (line, n)).Skip(2).Where(x => x.line.Length > 0).Select(x => x.n))
            .Select(p => $"{p.First[2]}_{p.Second}={Score(p.First[0])}")
            .OrderBy(s => long.Parse(s.Split('=')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected, GeoImportTests.ZRange(ours, GeoKeys.IpToCityId));
        Assert.Equal("[\"S\\u00e3o Paulo\", \"27\", \"BR\"]", (string?)ours.HashGet(GeoKeys.CityIdToCity, "1"));
        Assert.Equal("[\"Quote \\\"Town\\\"\", \"NY\", \"US\"]", (string?)ours.HashGet(GeoKeys.CityIdToCity, "6"));
    }

    [Fact]
    public void TheBooksFindCityByIpReadsWhatWeImported()
    {
        var db = ImportLegacySamples();
        var blocks = db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId).Select(e => (uint)e.Score).ToArray();
        var inside = blocks.Take(20).Select(s => IpAddressScore.FormatIPv4(s + 1)).ToList();
        var gaps = blocks.Zip(blocks.Skip(1)).Select(p => (End: (uint)(long)db.HashGet(GeoKeys.IpToCityIdEnds, MemberAt(db, p.First)), Next: p.Second))
            .Where(p => p.Next > p.End + 1).Take(3).Select(p => IpAddressScore.FormatIPv4(p.End + 1)).ToList();
        Assert.NotEmpty(gaps);
        var ours = CityLookup.Find(db, inside.Concat(gaps).ToList(), CancellationToken.None);
        Assert.All(ours.Take(inside.Count), o => Assert.NotNull(o.City));
        Assert.All(ours.Skip(inside.Count), o => Assert.Null(o.City)); // the gap check: the book would name the block before
        if (!Python.Available) return;

        var run = RunPython(new[] { BookScript, "find", fixture.Server.Host, fixture.Server.Port.ToString(CultureInfo.InvariantCulture), "1" }.Concat(inside).Concat(gaps).ToArray());
        Assert.True(run.ExitCode == 0, run.All);
        var book = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<string[]?>(l)).ToList();
        Assert.Equal(inside.Count + gaps.Count, book.Count);
        for (var i = 0; i < inside.Count; i++) Assert.Equal(new[] { ours[i].City!.City, ours[i].City!.Region, ours[i].City!.Country }, book[i]);
        Assert.All(book.Skip(inside.Count), Assert.NotNull);
    }

    [Fact]
    public void TheBooksFindCityByIpReadsGeoLite2Imports()
    {
        var db = fixture.Fresh();
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, Sample("GeoLite2-City-Blocks-IPv4.csv"));
        GeoImportTests.Import(db, GeoImportKind.CityLocations, Sample("GeoLite2-City-Locations-en.csv"));
        var ips = db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId).Take(10).Select(e => IpAddressScore.FormatIPv4((uint)e.Score)).ToList();
        var ours = CityLookup.Find(db, ips, CancellationToken.None);
        Assert.All(ours, o => Assert.NotNull(o.City));
        Assert.Contains(ours, o => o.City!.City is "\u6771\u4eac" or "Z\u00fcrich" or "\u041c\u043e\u0441\u043a\u0432\u0430");
        if (!Python.Available) return;

        var run = RunPython(new[] { BookScript, "find", fixture.Server.Host, fixture.Server.Port.ToString(CultureInfo.InvariantCulture), "1" }.Concat(ips).ToArray());
        Assert.True(run.ExitCode == 0, run.All);
        var book = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<string[]?>(l)).ToList();
        Assert.Equal(ips.Count, book.Count);
        for (var i = 0; i < ips.Count; i++) Assert.Equal(new[] { ours[i].City!.City, ours[i].City!.Region, ours[i].City!.Country }, book[i]);
    }

    private static string MemberAt(IDatabase db, uint score) => db.SortedSetRangeByScore(GeoKeys.IpToCityId, score, score).First().ToString();

    private static string[] RawZRange(IDatabase db, string key) =>
        ((RedisResult[])db.Execute("ZRANGE", key, 0, -1, "WITHSCORES")!).Select(r => Convert.ToBase64String((byte[])r!)).ToArray();

    private static string[] RawHash(IDatabase db, string key) =>
        ((RedisResult[])db.Execute("HGETALL", key)!).Select(r => Convert.ToBase64String((byte[])r!)).Chunk(2).Select(p => p[0] + "=" + p[1]).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    private static long Score(string field) => IpAddressScore.TryParseLegacy(field, out var s) ? s : throw new FormatException(field);

    private static string BookScript => Path.Combine(AppContext.BaseDirectory, "Geo", "book53.py");

    private static ProcessResult RunPython(params string[] args) => Python.Run(args, timeoutSeconds: 60);
}
