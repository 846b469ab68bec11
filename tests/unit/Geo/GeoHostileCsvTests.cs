using System;
using System.IO;
using System.Linq;
using System.Text;
using RedisComponents.Geo;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Geo;

/// <summary>
/// Files no MaxMind export looks like, through the cmdlets as a user would import them: every refusal
/// leaves the 80-block sample index as it was, and no message quotes more than a short piece of the file.
/// </summary>
public class GeoHostileCsvTests : IClassFixture<GeoFixture>
{
    private static readonly string SampleBlocks = Path.Combine(RepositoryRoot.Path, "examples", "data", "GeoLiteCity-Blocks.csv");
    private readonly GeoFixture fixture;

    public GeoHostileCsvTests(GeoFixture fixture) => this.fixture = fixture;

    internal static string Id(System.Management.Automation.ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    /// <summary>Imports the sample blocks (80) and returns the index as ZRANGE shows it.</summary>
    internal static string[] OldIndex(GeoFixture fixture)
    {
        fixture.Fresh();
        fixture.Ps.Run("Import-RedisIpBlock -Component geo -LiteralPath $p", new() { ["p"] = SampleBlocks }).ThrowIfFailed();
        var old = GeoImportTests.ZRange(fixture.Db, GeoKeys.IpToCityId);
        Assert.Equal(80, old.Length);
        Assert.Equal(80, fixture.Db.HashLength(GeoKeys.IpToCityIdEnds));
        return old;
    }

    internal static void AssertUnchanged(GeoFixture fixture, string[] old)
    {
        Assert.Equal(old, GeoImportTests.ZRange(fixture.Db, GeoKeys.IpToCityId));
        Assert.Equal(80, fixture.Db.HashLength(GeoKeys.IpToCityIdEnds));
        Wait.Until(() => fixture.StagingKeys().Length == 0, "staging keys to be dropped");
    }

    private PsResult Import(string path, string extra = "") =>
        fixture.Ps.Run("Import-RedisIpBlock -Component geo -LiteralPath $p " + extra, new() { ["p"] = path });

    [Fact]
    public void MostlyMalformedRowsReplaceNothingAndKeepTheOldIndex()
    {
        var old = OldIndex(fixture);
        var text = new StringBuilder("startIpNum,endIpNum,locId\n1,10,7\n");
        for (var i = 0; i < 250; i++) text.Append("bad,row,").Append(i).Append('\n');
        var path = fixture.Write("mostly-bad.csv", text.ToString());

        var result = Import(path, "-MaxMalformedRows 5");
        Assert.Empty(result.Output);
        Assert.Equal(5, result.Errors.Count(e => Id(e) == "MalformedRow"));
        var refusal = Assert.Single(result.Errors, e => Id(e) == "MalformedShareExceeded");
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, refusal.CategoryInfo.Category);
        Assert.Contains("250 of its 251 data rows", refusal.ErrorDetails.Message);
        Assert.Contains("-MaxMalformedPercent", refusal.ErrorDetails.Message);
        Assert.Equal(path, refusal.TargetObject);
        AssertUnchanged(fixture, old);
    }

    [Fact]
    public void TheMalformedShareIsAThresholdTheCallerCanRaise()
    {
        var old = OldIndex(fixture);
        var text = new StringBuilder("startIpNum,endIpNum,locId\n");
        for (var i = 0; i < 199; i++) text.Append(i * 10).Append(',').Append(i * 10 + 5).Append(",7\n");
        text.Append("bad,row,1\n");
        var path = fixture.Write("one-in-200.csv", text.ToString());

        var strict = Import(path, "-MaxMalformedPercent 0.4");
        Assert.Contains(strict.Errors, e => Id(e) == "MalformedShareExceeded");
        AssertUnchanged(fixture, old);

        var tolerated = Import(path); // 0.5 % is under the default 1 %
        Assert.Equal("MalformedRow", Id(Assert.Single(tolerated.Errors)));
        Assert.Equal((199L, 1L), (tolerated.Single<GeoImportResult>().Imported, tolerated.Single<GeoImportResult>().Malformed));
        Assert.Equal(199, fixture.Db.SortedSetLength(GeoKeys.IpToCityId));
    }

    [Theory]
    [InlineData("nothing,here\n1,2\n3,4\n")]
    [InlineData("Copyright (c) 2012 MaxMind LLC.  All Rights Reserved.\nip,city,country\n1,2,3\n")]
    public void AHeaderOfNoKnownFormatIsUnrecognizedNotLegacyBlocks(string text)
    {
        var old = OldIndex(fixture);
        var path = fixture.Write("unknown-header.csv", text);
        var result = Import(path);
        var error = Assert.Single(result.Errors);
        Assert.Equal("UnrecognizedFileFormat", Id(error));
        Assert.Contains("startIpNum,endIpNum,locId", error.ErrorDetails.Message);
        Assert.Empty(result.Output);
        AssertUnchanged(fixture, old);

        var locations = fixture.Ps.Run("Import-RedisCityLocation -Component geo -LiteralPath $p", new() { ["p"] = path });
        Assert.Equal("UnrecognizedFileFormat", Id(Assert.Single(locations.Errors)));
    }

    [Fact]
    public void AMalformedRowQuotesOnlyAShortPieceOfABigField()
    {
        fixture.Fresh();
        var big = new string('7', 60_000) + "x"; // under the 64 KB field limit, so it is parsed and found malformed
        var path = fixture.Write("big-bad-field.csv", "startIpNum,endIpNum,locId\n1,10," + big + "\n20,30,8\n");
        var result = Import(path, "-MaxMalformedPercent 100");
        var error = Assert.Single(result.Errors);
        Assert.Equal("MalformedRow", Id(error));
        Assert.InRange(error.ErrorDetails.Message.Length - path.Length, 1, 400);
        Assert.Contains("60,001 characters", error.ErrorDetails.Message);
        var target = Assert.IsType<GeoRowError>(error.TargetObject);
        Assert.InRange(target.Problem.Length, 1, 200);
        Assert.InRange(error.Exception.Message.Length - path.Length, 1, 400);
        Assert.Equal(1, result.Single<GeoImportResult>().Imported);
    }

    [Fact]
    public void ARowOfManySmallFieldsOverTheRowLimitIsRefused()
    {
        var old = OldIndex(fixture);
        var path = Path.Combine(fixture.Directory, "long-row.csv");
        using (var w = new StreamWriter(path, false, Encoding.Latin1))
        {
            w.Write("startIpNum,endIpNum,locId\n1,10,7\n");
            for (var i = 0; i < 800_000; i++) w.Write("1,"); // 1.6 M characters, no field over 1
            w.Write("1\n20,30,8\n");
        }
        var result = Import(path);
        var error = Assert.Single(result.Errors);
        Assert.Equal("RowTooLarge", Id(error));
        Assert.Contains("line 3", error.ErrorDetails.Message);
        Assert.Contains("1,048,576 characters", error.ErrorDetails.Message);
        AssertUnchanged(fixture, old);
        File.Delete(path);
    }

    [Fact]
    public void WhatIfNamesTheKeysTheFileWouldReplace()
    {
        fixture.Fresh();
        var v4 = fixture.Write("whatif-v4.csv", "startIpNum,endIpNum,locId\n1,10,7\n");
        var v6 = fixture.Write("whatif-v6.csv", "network,geoname_id,registered_country_geoname_id\n2001:db8::/32,11,11\n", new UTF8Encoding(false));
        string Target(string path)
        {
            // ShouldProcess logs what -WhatIf would show as a verbose line when the operation goes ahead.
            var verbose = Import(path, "-Verbose").ThrowIfFailed().Verbose;
            return Assert.Single(verbose, v => v.Contains("Performing the operation"));
        }
        var ipv4 = Target(v4);
        Assert.Contains("ip2cityid:, ip2cityid:ends and ip2cityid:generation on component 'geo'", ipv4);
        Assert.DoesNotContain("ip2cityid:v6", ipv4);
        Assert.Contains("ip2cityid:v6 and ip2cityid:generation on component 'geo'", Target(v6));
        Assert.Empty(Import(v4, "-WhatIf").ThrowIfFailed().Output);
    }
}
