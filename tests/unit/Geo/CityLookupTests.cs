using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using RedisComponents.Geo;
using StackExchange.Redis;

namespace RedisComponents.Tests.Geo;

public class CityLookupTests : IClassFixture<GeoFixture>
{
    private readonly GeoFixture fixture;

    public CityLookupTests(GeoFixture fixture) => this.fixture = fixture;

    private static List<CityLookupOutcome> Find(IDatabase db, params string[] ips) => CityLookup.Find(db, ips, CancellationToken.None);

    private IDatabase TwoBlocksWithAGap()
    {
        var db = fixture.Fresh();
        var blocks = fixture.Write("two-blocks.csv", "startIpNum,endIpNum,locId\n\"0.0.0.1\",\"0.0.0.10\",\"7\"\n20,30,8\n");
        var cities = fixture.Write("two-cities.csv", "locId,country,region,city\n7,US,CA,Mountain View\n8,BR,27,S\u00e3o Paulo\n");
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, blocks);
        GeoImportTests.Import(db, GeoImportKind.CityLocations, cities);
        return db;
    }

    [Fact]
    public void FindsTheBlockAtOrBelowTheAddressAndItsCity()
    {
        var db = TwoBlocksWithAGap();
        var found = Find(db, "0.0.0.1", "0.0.0.10", "25", "0.0.0.30").Select(o => o.City).ToArray();
        Assert.All(found, Assert.NotNull);
        Assert.Equal(new[] { "Mountain View", "Mountain View", "S\u00e3o Paulo", "S\u00e3o Paulo" }, found.Select(c => c!.City));
        Assert.Equal(("CA", "US", "7"), (found[0]!.Region, found[0]!.Country, found[0]!.CityId));
        Assert.Equal("25", found[2]!.IPAddress);
    }

    [Fact]
    public void AnAddressInAGapOrBeforeEveryBlockHasNoCity()
    {
        var db = TwoBlocksWithAGap();
        var outcomes = Find(db, "0.0.0.0", "0.0.0.11", "0.0.0.19", "0.0.0.31", "255.255.255.255");
        Assert.All(outcomes, o => Assert.Null(o.City));
        Assert.All(outcomes, o => Assert.False(o.InvalidAddress));
        Assert.Contains("no block", outcomes[0].Problem);
        Assert.Contains("gap", outcomes[1].Problem);
        Assert.Contains("0.0.0.10", outcomes[1].Problem);
    }

    [Fact]
    public void BlocksWrittenByTheBooksImportWithoutEndsAreTrustedLikeTheBook()
    {
        var db = fixture.Fresh();
        db.SortedSetAdd(GeoKeys.IpToCityId, "7_2", 1);
        db.HashSet(GeoKeys.CityIdToCity, "7", "[\"Mountain View\", \"CA\", \"US\"]");
        Assert.Equal("Mountain View", Find(db, "0.0.0.200").Single().City?.City);
    }

    [Fact]
    public void AMissingCityOrABadJsonValueIsNotFoundWithAReason()
    {
        var db = fixture.Fresh();
        db.SortedSetAdd(GeoKeys.IpToCityId, "7_2", 1);
        db.SortedSetAdd(GeoKeys.IpToCityId, "9_3", 100);
        db.HashSet(GeoKeys.CityIdToCity, "9", "not json");
        var outcomes = Find(db, "0.0.0.50", "0.0.0.150");
        Assert.Contains("city id 7", outcomes[0].Problem);
        Assert.Contains("not the book's JSON", outcomes[1].Problem);
    }

    [Fact]
    public void InvalidAddressesAreFlaggedAndTheOthersStillAnswered()
    {
        var db = TwoBlocksWithAGap();
        var outcomes = Find(db, "1.2.3.999", "0.0.0.5", "", "hello");
        Assert.Equal(new[] { true, false, true, true }, outcomes.Select(o => o.InvalidAddress));
        Assert.Equal("Mountain View", outcomes[1].City?.City);
        Assert.Contains("1.2.3.999", outcomes[0].Problem);
    }

    [Fact]
    public void MatchesABruteForceSearchOverAGeneratedFile()
    {
        var db = fixture.Fresh();
        var blocksPath = fixture.Generated("lookup-blocks.csv", p => GeoDataGenerator.WriteLegacyBlocks(p, 3000, 24));
        var citiesPath = fixture.Generated("lookup-cities.csv", p => GeoDataGenerator.WriteLegacyLocations(p, 24));
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, blocksPath);
        GeoImportTests.Import(db, GeoImportKind.CityLocations, citiesPath);
        var blocks = File.ReadLines(blocksPath, System.Text.Encoding.Latin1).Skip(2).Where(l => l.Length > 0)
            .Select(l => l.Replace("\"", "").Split(','))
            .Select(f => (Start: Score(f[0]), End: Score(f[1]), City: f[2])).ToList();
        var random = new Random(7);
        var probes = Enumerable.Range(0, 1500).Select(_ => (uint)random.NextInt64(blocks[0].Start - 100, blocks[^1].End + 100)).ToList();
        probes.AddRange(blocks.Take(200).SelectMany(b => new[] { b.Start, b.End, b.End + 1 }));
        var outcomes = CityLookup.Find(db, probes.Select(p => IpAddressScore.FormatIPv4(p)).ToList(), CancellationToken.None);
        for (var i = 0; i < probes.Count; i++)
        {
            var expected = blocks.FirstOrDefault(b => b.Start <= probes[i] && probes[i] <= b.End).City;
            Assert.True(expected == outcomes[i].City?.CityId, $"{IpAddressScore.FormatIPv4(probes[i])}: expected {expected ?? "none"}, got {outcomes[i].City?.CityId ?? outcomes[i].Problem}");
        }
        Assert.Contains(outcomes, o => o.City is null);
        Assert.Contains(outcomes, o => o.City is not null);
    }

    [Fact]
    public void Ipv6AddressesUseTheLexicographicSetWithTheirEnds()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("v6.csv", "network,geoname_id,registered_country_geoname_id\n2001:db8::/32,11,11\n2001:db9:8000::/33,12,12\n");
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, path);
        db.HashSet(GeoKeys.CityIdToCity, new[] { new HashEntry("11", "[\"A\", \"\", \"US\"]"), new HashEntry("12", "[\"B\", \"\", \"DE\"]") });
        var outcomes = Find(db, "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::1", "2001:db9:8000::5", "2001:db9:ffff::", "2001:dba::", "::1");
        Assert.Equal(new[] { "A", "A", null, "B", "B", null, null }, outcomes.Select(o => o.City?.City));
        Assert.Contains("gap", outcomes[2].Problem);
        Assert.Contains("ip2cityid:v6", outcomes[6].Problem);
    }

    [Fact]
    public void ABatchIsTheBooksNativeCommandsWithNoScript()
    {
        var db = TwoBlocksWithAGap();
        fixture.Server.ResetStats();
        var outcomes = Find(db, Enumerable.Range(0, 40).Select(i => "0.0.0." + i.ToString(CultureInfo.InvariantCulture)).ToArray());
        Assert.Equal(40, outcomes.Count);
        Assert.Equal(0, fixture.Server.CommandCalls("evalsha") + fixture.Server.CommandCalls("eval"));
        Assert.Equal(40, fixture.Server.CommandCalls("zrevrangebyscore"));
        Assert.Equal(0, fixture.Server.CommandCalls("zrangebyscore"));
        Assert.Equal(2, fixture.Server.CommandCalls("hmget")); // the ends and the cities of the whole batch
        Assert.Equal(0, fixture.Server.CommandCalls("hget"));
    }

    [Fact]
    public void AMixedBatchSendsOneRangeQueryPerAddressThenTwoHmgets()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("mixed.csv", "network,geoname_id,registered_country_geoname_id\n0.0.0.0/28,7,7\n2001:db8::/32,11,11\n");
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, path);
        db.HashSet(GeoKeys.CityIdToCity, new[] { new HashEntry("7", "[\"A\", \"\", \"US\"]"), new HashEntry("11", "[\"B\", \"\", \"DE\"]") });
        fixture.Server.ResetStats();
        var outcomes = Find(db, "0.0.0.3", "2001:db8::1", "0.0.0.16", "bad", "2001:db7::", "0.0.0.15");
        Assert.Equal(new[] { "A", "B", null, null, null, "A" }, outcomes.Select(o => o.City?.City));
        Assert.Contains("gap", outcomes[2].Problem);
        Assert.True(outcomes[3].InvalidAddress);
        Assert.Contains("no block in ip2cityid:v6", outcomes[4].Problem);
        Assert.Equal((3L, 2L, 2L, 0L), (fixture.Server.CommandCalls("zrevrangebyscore"), fixture.Server.CommandCalls("zrevrangebylex"),
            fixture.Server.CommandCalls("hmget"), fixture.Server.CommandCalls("evalsha") + fixture.Server.CommandCalls("eval")));
    }

    [Fact]
    public void AWrongTypedIndexKeyIsARedisErrorNotAWrongAnswer()
    {
        var db = fixture.Fresh();
        db.StringSet(GeoKeys.IpToCityId, "not a zset");
        Assert.Contains("WRONGTYPE", Assert.ThrowsAny<RedisException>(() => Find(db, "1.2.3.4")).Message);
    }

    private static uint Score(string field) => IpAddressScore.TryParseLegacy(field, out var s) ? s : throw new FormatException(field);
}
