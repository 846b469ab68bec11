using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using RedisComponents.Geo;
using StackExchange.Redis;

namespace RedisComponents.Tests.Geo;

/// <summary>The importer against a real Redis: the book's layout exactly, our extra keys, and bad rows.</summary>
public class GeoImportTests : IClassFixture<GeoFixture>
{
    private readonly GeoFixture fixture;

    public GeoImportTests(GeoFixture fixture) => this.fixture = fixture;

    /// <summary>Imports with small batches; malformed rows never refuse the file unless <paramref name="maxMalformedPercent"/> says so.</summary>
    internal static GeoImportResult Import(IDatabase db, GeoImportKind kind, string path, List<GeoRowError>? errors = null, double maxMalformedPercent = 100) =>
        new GeoImporter(db, CancellationToken.None) { Malformed = e => errors?.Add(e), BatchSize = 7, MaxMalformedPercent = maxMalformedPercent }.Import(kind, path, "geo");

    internal static string[] ZRange(IDatabase db, string key) =>
        db.SortedSetRangeByRankWithScores(key).Select(e => $"{e.Element}={e.Score}").ToArray();

    [Fact]
    public void LegacyBlocksGiveTheBooksMembersAndScores()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("legacy-blocks.csv",
            "Copyright (c) 2011 MaxMind Inc.  All Rights Reserved.\n" +
            "startIpNum,endIpNum,locId\n" +
            "\"16777216\",\"16777471\",\"17\"\n" +
            "\"1.0.1.0\",\"1.0.3.255\",\"49\"\n" +
            "\n" +
            "\"16778240\",\"16779263\",\"17\"\n");
        var result = Import(db, GeoImportKind.IpBlocks, path);

        // Row numbers as the book's enumerate gives them: copyright 0, header 1, blank line 4.
        Assert.Equal(new[] { "17_2=16777216", "49_3=16777472", "17_5=16778240" }, ZRange(db, GeoKeys.IpToCityId));
        Assert.Equal("16777471", (string?)db.HashGet(GeoKeys.IpToCityIdEnds, "17_2"));
        Assert.Equal("16778239", (string?)db.HashGet(GeoKeys.IpToCityIdEnds, "49_3"));
        Assert.Equal(3, db.HashLength(GeoKeys.IpToCityIdEnds));
        Assert.Equal(GeoFileFormat.LegacyBlocks, result.Format);
        Assert.Equal((6L, 3L, 3L, 0L), (result.Records, result.Imported, result.Skipped, result.Malformed));
        Assert.Equal(new[] { GeoKeys.IpToCityId, GeoKeys.IpToCityIdEnds }, result.Keys);
        Assert.False(db.KeyExists(GeoKeys.IpToCityIdV6));
    }

    [Fact]
    public void HeaderlessLegacyBlocksAreAcceptedLikeTheBookDoes()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("headerless.csv", "16777216,16777471,17\n");
        Assert.Equal(1, Import(db, GeoImportKind.IpBlocks, path).Imported);
        Assert.Equal(new[] { "17_0=16777216" }, ZRange(db, GeoKeys.IpToCityId));
    }

    [Fact]
    public void GeoLite2BlocksSplitIntoIpv4AndIpv6Keys()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("geolite2-blocks.csv",
            "network,geoname_id,registered_country_geoname_id,represented_country_geoname_id,is_anonymous_proxy,is_satellite_provider,postal_code,latitude,longitude,accuracy_radius\n" +
            "1.0.0.0/24,2077456,2077456,,0,0,,-33.4940,143.2104,1000\n" +
            "1.0.4.0/22,,2077456,,0,0,,,,\n" +
            "1.0.8.0/24,,,,1,0,,,,\n" +
            "2001:db8::/32,6252001,6252001,,0,0,\"94043\",37.4,-122.0,5\n", new UTF8Encoding(false));
        var result = Import(db, GeoImportKind.IpBlocks, path);

        Assert.Equal(new[] { "2077456_1=16777216", "2077456_2=16778240" }, ZRange(db, GeoKeys.IpToCityId));
        Assert.Equal("16779263", (string?)db.HashGet(GeoKeys.IpToCityIdEnds, "2077456_2"));
        Assert.Equal(new[] { "20010db8000000000000000000000000|20010db8ffffffffffffffffffffffff|6252001_4=0" }, ZRange(db, GeoKeys.IpToCityIdV6));
        Assert.Equal((3L, 2L), (result.Imported, result.Skipped)); // skipped: the header, and the block with no geoname id at all
        Assert.Equal(GeoFileFormat.GeoLite2Blocks, result.Format);
        Assert.Equal(new[] { GeoKeys.IpToCityId, GeoKeys.IpToCityIdEnds, GeoKeys.IpToCityIdV6 }, result.Keys);
    }

    [Fact]
    public void LegacyLocationsAreTheBooksJsonFromLatin1()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("legacy-locations.csv",
            "Copyright (c) 2011 MaxMind Inc.  All Rights Reserved.\n" +
            "locId,country,region,city,postalCode,latitude,longitude,metroCode,areaCode\n" +
            "1,\"O1\",\"\",\"\",\"\",0.0000,0.0000,,\n" +
            "17,\"BR\",\"27\",\"S\u00e3o Paulo\",\"\",-23.5,-46.6,,\n" +
            "18,\"US\",\"DC\",\"Washington, D.C.\",\"20001\",38.9,-77.0,511,202\n", Encoding.Latin1);
        var result = Import(db, GeoImportKind.CityLocations, path);

        Assert.Equal("[\"\", \"\", \"O1\"]", (string?)db.HashGet(GeoKeys.CityIdToCity, "1"));
        Assert.Equal("[\"S\\u00e3o Paulo\", \"27\", \"BR\"]", (string?)db.HashGet(GeoKeys.CityIdToCity, "17"));
        Assert.Equal("[\"Washington, D.C.\", \"DC\", \"US\"]", (string?)db.HashGet(GeoKeys.CityIdToCity, "18"));
        Assert.Equal((GeoFileFormat.LegacyLocations, 3L, 2L), (result.Format, result.Imported, result.Skipped));
        Assert.Equal(new[] { GeoKeys.CityIdToCity }, result.Keys);
    }

    [Fact]
    public void GeoLite2LocationsAreReadByColumnNameFromUtf8()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("geolite2-locations.csv",
            "geoname_id,locale_code,continent_code,continent_name,country_iso_code,country_name,subdivision_1_iso_code,subdivision_1_name,subdivision_2_iso_code,subdivision_2_name,city_name,metro_code,time_zone,is_in_european_union\n" +
            "1850147,en,AS,Asia,JP,Japan,13,Tokyo,,,\u6771\u4eac,,Asia/Tokyo,0\n" +
            "3017382,en,EU,Europe,FR,France,,,,,,,,1\n", new UTF8Encoding(false));
        var result = Import(db, GeoImportKind.CityLocations, path);
        Assert.Equal("[\"\\u6771\\u4eac\", \"Tokyo\", \"JP\"]", (string?)db.HashGet(GeoKeys.CityIdToCity, "1850147"));
        Assert.Equal("[\"\", \"\", \"FR\"]", (string?)db.HashGet(GeoKeys.CityIdToCity, "3017382"));
        Assert.Equal(GeoFileFormat.GeoLite2Locations, result.Format);
    }

    [Fact]
    public void MalformedRowsAreReportedWithTheirLineAndSkipped()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("bad-blocks.csv",
            "Copyright (c) 2011 MaxMind Inc.  All Rights Reserved.\n" +
            "startIpNum,endIpNum,locId\n" +
            "\"16777216\",\"16777471\",\"17\"\n" +       // line 3 good
            "\"16777472\",\"16777500\"\n" +               // line 4 too few columns
            "\"1.0.300.0\",\"1.0.3.255\",\"49\"\n" +       // line 5 bad IP
            "\"a\nb\",\"1\",\"2\"\n" +                     // lines 6-7: multi-line record, bad IP
            "\"16778240\",\"16778000\",\"17\"\n" +         // line 8 end before start
            "\"16778240\",\"16779263\",\"x1\"\n" +         // line 9 bad location id
            "\"16779264\",\"16779519\",\"18\"\n");         // line 10 good
        var errors = new List<GeoRowError>();
        var result = Import(db, GeoImportKind.IpBlocks, path, errors);

        Assert.Equal(new long[] { 4, 5, 6, 8, 9 }, errors.Select(e => e.Line).ToArray());
        Assert.Contains("2 columns", errors[0].Problem);
        Assert.Contains("1.0.300.0", errors[1].Problem);
        Assert.Contains("16778000", errors[3].Problem);
        Assert.Contains("x1", errors[4].Problem);
        Assert.Equal(new[] { "17_2=16777216", "18_8=16779264" }, ZRange(db, GeoKeys.IpToCityId));
        Assert.Equal((2L, 5L), (result.Imported, result.Malformed));
    }

    [Fact]
    public void BadCidrAndColumnCountInGeoLite2AreReported()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("bad-geolite2.csv",
            "network,geoname_id,registered_country_geoname_id\n" +
            "1.0.0.0/24,5,5\n" +
            "1.0.1.1/24,5,5\n" +
            "1.0.2.0/24,5\n" +
            "1.0.3.0,5,5\n" +
            "1.0.4.0/24,x,5\n");
        var errors = new List<GeoRowError>();
        Import(db, GeoImportKind.IpBlocks, path, errors);
        Assert.Equal(new long[] { 3, 4, 5, 6 }, errors.Select(e => e.Line).ToArray());
        Assert.Contains("host bits", errors[0].Problem);
        Assert.Contains("2 columns where the header has 3", errors[1].Problem);
        Assert.Contains("CIDR", errors[2].Problem);
        Assert.Equal(new[] { "5_1=16777216" }, ZRange(db, GeoKeys.IpToCityId));
    }

    [Fact]
    public void AFileOfTheOtherKindIsRefusedBeforeAnythingChanges()
    {
        var db = fixture.Fresh();
        db.HashSet(GeoKeys.CityIdToCity, "1", "[\"old\", \"\", \"US\"]");
        var blocks = fixture.Write("kind-blocks.csv", "startIpNum,endIpNum,locId\n1,2,3\n");
        var locations = fixture.Write("kind-locations.csv", "locId,country,region,city\n1,US,CA,X\n");
        Assert.Contains("Import-RedisCityLocation", Assert.Throws<GeoFileFormatException>(() => Import(db, GeoImportKind.IpBlocks, locations)).Message);
        Assert.Contains("Import-RedisIpBlock", Assert.Throws<GeoFileFormatException>(() => Import(db, GeoImportKind.CityLocations, blocks)).Message);
        Assert.Equal("[\"old\", \"\", \"US\"]", (string?)db.HashGet(GeoKeys.CityIdToCity, "1"));
        Assert.Single(fixture.Server.AdminServer.Keys(GeoFixture.DataDb, "*"));
    }

    [Fact]
    public void AGeneratedFileImportsEveryBlockWithItsEnd()
    {
        var db = fixture.Fresh();
        var path = fixture.Generated("gen-legacy-2000.csv", p => GeoDataGenerator.WriteLegacyBlocks(p, 2000, 50));
        var result = new GeoImporter(db, CancellationToken.None).Import(GeoImportKind.IpBlocks, path, "geo");
        Assert.Equal((2000L, 0L), (result.Imported, result.Malformed));
        Assert.Equal(2000, db.SortedSetLength(GeoKeys.IpToCityId));
        Assert.Equal(2000, db.HashLength(GeoKeys.IpToCityIdEnds));
    }
}
