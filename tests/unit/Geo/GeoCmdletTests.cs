using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using RedisComponents.Geo;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Geo;

/// <summary>The three cmdlets driven as a user's script would, against component 'geo'.</summary>
public class GeoCmdletTests : IClassFixture<GeoFixture>
{
    private static readonly string Samples = Path.Combine(RepositoryRoot.Path, "examples", "data");
    private readonly GeoFixture fixture;

    public GeoCmdletTests(GeoFixture fixture) => this.fixture = fixture;

    private PsResult Run(string script, string? path = null) => fixture.Ps.Run(script, new() { ["path"] = path, ["dir"] = fixture.Directory, ["samples"] = Samples });

    private void ImportSamples(string prefix = "GeoLiteCity")
    {
        fixture.Fresh();
        var blocks = prefix == "GeoLiteCity" ? "GeoLiteCity-Blocks.csv" : "GeoLite2-City-Blocks-IPv*.csv";
        var locations = prefix == "GeoLiteCity" ? "GeoLiteCity-Location.csv" : "GeoLite2-City-Locations-en.csv";
        Run($"Import-RedisIpBlock -Component geo -Path $samples/{blocks}; Import-RedisCityLocation -Component geo -Path $samples/{locations}").ThrowIfFailed();
    }

    [Fact]
    public void ImportsWithAWildcardPathAndReportsProgressAndAResult()
    {
        fixture.Fresh();
        var result = Run("Import-RedisIpBlock -Component geo -Path $samples/GeoLite2-City-Blocks-IPv*.csv").ThrowIfFailed();
        var results = result.All<GeoImportResult>();
        Assert.Equal(new[] { "GeoLite2-City-Blocks-IPv4.csv", "GeoLite2-City-Blocks-IPv6.csv" }, results.Select(r => Path.GetFileName(r.Path)));
        Assert.Equal(new[] { GeoKeys.IpToCityIdV6 }, results[1].Keys);
        Assert.True(fixture.Db.SortedSetLength(GeoKeys.IpToCityId) > 50);
        Assert.True(fixture.Db.SortedSetLength(GeoKeys.IpToCityIdV6) > 30);
        Assert.Contains(result.Progress, p => p.PercentComplete == 100 && p.StatusDescription.Contains("rows read"));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Contains("GeoLite2-City-Blocks-IPv4.csv", results[0].ToString());
    }

    [Fact]
    public void LiteralPathTakesBracketsLiterallyAndPathTreatsThemAsWildcards()
    {
        fixture.Fresh();
        var path = fixture.Write("blocks[1].csv", "startIpNum,endIpNum,locId\n1,10,7\n");
        var wildcard = Run("Import-RedisIpBlock -Component geo -Path $path", path);
        Assert.Equal("PathNotFound", wildcard.SingleError().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, wildcard.SingleError().CategoryInfo.Category);
        Assert.Equal(1, Run("Import-RedisIpBlock -Component geo -LiteralPath $path", path).ThrowIfFailed().Single<GeoImportResult>().Imported);
        Assert.Equal(1, Run("[pscustomobject]@{ PSPath = $path } | Import-RedisIpBlock -Component geo", path).ThrowIfFailed().Single<GeoImportResult>().Imported);
        Assert.Equal("PathNotFound", Run("Import-RedisIpBlock -Component geo -LiteralPath $dir/missing.csv").SingleError().FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void WhatIfChangesNothing()
    {
        var db = fixture.Fresh();
        var result = Run("Import-RedisCityLocation -Component geo -Path $samples/GeoLiteCity-Location.csv -WhatIf").ThrowIfFailed();
        Assert.Empty(result.Output);
        Assert.False(db.KeyExists(GeoKeys.CityIdToCity));
    }

    [Fact]
    public void MalformedRowsAreErrorsWithLineNumbersCappedWithOneSummary()
    {
        fixture.Fresh();
        var text = new StringBuilder("startIpNum,endIpNum,locId\n1,10,7\n");
        for (var i = 0; i < 150; i++) text.Append("bad,row,").Append(i).Append('\n');
        text.Append("20,30,8\n");
        var path = fixture.Write("many-bad.csv", text.ToString());
        var result = Run("Import-RedisIpBlock -Component geo -Path $path -MaxMalformedPercent 100", path);
        var ids = result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToList();
        Assert.Equal(100, ids.Count(id => id == "MalformedRow"));
        Assert.Equal("TooManyMalformedRows", ids.Last());
        Assert.Equal(101, ids.Count);
        Assert.Contains("many-bad.csv line 3:", result.Errors[0].ErrorDetails.Message);
        Assert.Equal(ErrorCategory.InvalidData, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("150", result.Errors[^1].ErrorDetails.Message);
        var imported = result.Single<GeoImportResult>();
        Assert.Equal((2L, 150L), (imported.Imported, imported.Malformed));
    }

    [Fact]
    public void ErrorActionStopOnAMalformedRowLeavesTheOldIndex()
    {
        var db = fixture.Fresh();
        db.SortedSetAdd(GeoKeys.IpToCityId, "old_0", 5);
        var path = fixture.Write("stop-bad.csv", "startIpNum,endIpNum,locId\n1,10,7\nbad,row,1\n20,30,8\n");
        var result = Run("Import-RedisIpBlock -Component geo -Path $path -ErrorAction Stop", path);
        Assert.NotNull(result.Terminating);
        Assert.Equal(new[] { "old_0=5" }, GeoImportTests.ZRange(db, GeoKeys.IpToCityId));
        Wait.Until(() => fixture.StagingKeys().Length == 0, "staging keys to be dropped");
    }

    [Fact]
    public void CtrlCStopsAnImportAndLeavesTheOldIndex()
    {
        var db = fixture.Fresh();
        db.SortedSetAdd(GeoKeys.IpToCityId, "old_0", 5);
        var path = fixture.Generated("ctrl-c.csv", p => GeoDataGenerator.WriteLegacyBlocks(p, 300_000, 100));
        fixture.Ps.Runspace.SessionStateProxy.SetVariable("path", path);
        using var ps = PowerShell.Create(fixture.Ps.Runspace);
        ps.AddScript("Import-RedisIpBlock -Component geo -Path $path");
        var running = ps.BeginInvoke();
        Wait.Until(() => fixture.StagingKeys().Length > 0 || running.IsCompleted, "the import to start writing");
        Assert.False(running.IsCompleted, "the import finished before it could be stopped");
        ps.Stop();
        Assert.ThrowsAny<PipelineStoppedException>(() => ps.EndInvoke(running));
        Assert.Equal(new[] { "old_0=5" }, GeoImportTests.ZRange(db, GeoKeys.IpToCityId));
        Wait.Until(() => fixture.StagingKeys().Length == 0, "staging keys to be dropped");
    }

    [Fact]
    public void TheWrongKindOfFileOrAnEmptyOneIsRefused()
    {
        fixture.Fresh();
        var wrong = Run("Import-RedisIpBlock -Component geo -Path $samples/GeoLite2-City-Locations-en.csv");
        Assert.Equal("UnrecognizedFileFormat", wrong.SingleError().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("Import-RedisCityLocation", wrong.SingleError().ErrorDetails.Message);
        var empty = fixture.Write("header-only.csv", "locId,country,region,city\n");
        var none = Run("Import-RedisCityLocation -Component geo -Path $path", empty);
        Assert.Equal("NoRowsImported", none.SingleError().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(0, none.Single<GeoImportResult>().Imported);
    }

    [Fact]
    public void FindsCitiesForPipedAddressesInOrderInBatches()
    {
        ImportSamples();
        var db = fixture.Db;
        var starts = db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId).Select(e => IpAddressScore.FormatIPv4((uint)e.Score)).ToArray();
        var addresses = Enumerable.Range(0, 2500).Select(i => starts[i * 7 % starts.Length]).ToArray();
        fixture.Server.ResetStats();
        var result = fixture.Ps.Run("$ips | Find-RedisCity -Component geo", new() { ["ips"] = addresses }).ThrowIfFailed();
        var cities = result.All<IpCity>();
        Assert.Equal(addresses, cities.Select(c => c.IPAddress));
        Assert.Equal("S\u00e3o Paulo", cities.First(c => c.CityId == "1").City);
        Assert.Equal(2500, fixture.Server.CommandCalls("zrevrangebyscore"));
        // 3 batches (1000, 1000, 500 addresses, all found): the ends and the cities of each, 250 fields per HMGET.
        Assert.Equal(2 * (4 + 4 + 2), fixture.Server.CommandCalls("hmget"));
        Assert.Equal(0, fixture.Server.CommandCalls("evalsha") + fixture.Server.CommandCalls("eval"));
    }

    [Fact]
    public void UnknownAndMalformedAddressesAreNonTerminatingErrors()
    {
        ImportSamples();
        var result = Run("Find-RedisCity -Component geo -IPAddress '0.0.0.1', 'not-an-ip', '1.0.0.1'");
        Assert.Single(result.All<IpCity>());
        var errors = result.Errors.Select(e => (Id: e.FullyQualifiedErrorId.Split(',')[0], e.CategoryInfo.Category, Target: e.TargetObject as string)).ToList();
        Assert.Equal(("CityNotFound", ErrorCategory.ObjectNotFound, "0.0.0.1"), errors[0]);
        Assert.Equal(("InvalidIPAddress", ErrorCategory.InvalidArgument, "not-an-ip"), errors[1]);
        Assert.Contains("component 'geo'", result.Errors[0].ErrorDetails.Message);
    }

    [Fact]
    public void GeoLite2ImportsAnswerIpv4AndIpv6AndPropertyNameInput()
    {
        ImportSamples("GeoLite2");
        var db = fixture.Db;
        var v6 = db.SortedSetRangeByRank(GeoKeys.IpToCityIdV6, 0, 0)[0].ToString();
        var v6Address = GeoDataGenerator.ToIPv6(IpAddressScore.FromHex(v6.AsSpan(0, 32)) + 1);
        var v4 = IpAddressScore.FormatIPv4((uint)db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId, 0, 0)[0].Score);
        var result = fixture.Ps.Run("[pscustomobject]@{ IPAddress = $a }, [pscustomobject]@{ IPAddress = $b } | Find-RedisCity -Component geo",
            new() { ["a"] = v4, ["b"] = v6Address }).ThrowIfFailed();
        var cities = result.All<IpCity>();
        Assert.Equal(new[] { v4, v6Address }, cities.Select(c => c.IPAddress));
        Assert.All(cities, c => Assert.True(int.Parse(c.CityId, CultureInfo.InvariantCulture) >= GeoDataGenerator.FirstGeonameId));
        Assert.Equal(v6.Split('|')[2].Split('_')[0], cities[1].CityId);
    }

    [Fact]
    public void AnUnknownComponentIsReportedByTheBase()
    {
        var result = Run("Find-RedisCity -Component nosuch -IPAddress 1.2.3.4");
        Assert.Equal("ComponentConfigNotFound", result.SingleError().FullyQualifiedErrorId.Split(',')[0]);
    }
}
