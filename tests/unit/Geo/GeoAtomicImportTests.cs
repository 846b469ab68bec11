using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Geo;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Geo;

/// <summary>Imports build out of sight and swap in at once; a failed or cancelled one leaves the old index.</summary>
public class GeoAtomicImportTests : IClassFixture<GeoFixture>
{
    private const string Header = "startIpNum,endIpNum,locId\n";
    private readonly GeoFixture fixture;

    public GeoAtomicImportTests(GeoFixture fixture) => this.fixture = fixture;

    private RedisKey[] StagingKeys() => fixture.StagingKeys();

    private string[] OldIndex(IDatabase db)
    {
        var path = fixture.Write("old.csv", Header + "1,10,7\n20,30,8\n");
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, path);
        return GeoImportTests.ZRange(db, GeoKeys.IpToCityId);
    }

    [Fact]
    public void ReimportReplacesTheWholeIndexAndLeavesTheOtherFamily()
    {
        var db = fixture.Fresh();
        db.SortedSetAdd(GeoKeys.IpToCityIdV6, "v6-member", 0);
        OldIndex(db);
        var path = fixture.Write("new.csv", Header + "100,200,9\n");
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, path);
        Assert.Equal(new[] { "9_1=100" }, GeoImportTests.ZRange(db, GeoKeys.IpToCityId));
        Assert.Equal(new[] { "9_1" }, db.HashKeys(GeoKeys.IpToCityIdEnds).Select(k => (string)k!).ToArray());
        Assert.Equal(1, db.SortedSetLength(GeoKeys.IpToCityIdV6)); // an IPv4 file does not replace the IPv6 blocks
        Assert.Equal(-1, (long)db.Execute("TTL", GeoKeys.IpToCityId));
        Assert.Empty(StagingKeys());
    }

    [Fact]
    public void StagingKeysCarryATtlWhileTheImportRuns()
    {
        var db = fixture.Fresh();
        var path = fixture.Write("ttl.csv", Header + "1,2,3\n4,5,6\nbad,7,8\n9,10,11\n");
        var ttls = new List<long>();
        new GeoImporter(db, CancellationToken.None)
        {
            BatchSize = 1,
            MaxMalformedPercent = 100, // the bad row is only the hook
            Malformed = _ =>
            {
                db.Ping();
                ttls.AddRange(StagingKeys().Select(k => (long)db.Execute("TTL", k)));
            },
        }.Import(GeoImportKind.IpBlocks, path, "geo");
        Assert.Equal(2, ttls.Count);
        Assert.All(ttls, ttl => Assert.InRange(ttl, 1, (long)StagedKeyWriter.StagingTtl.TotalSeconds));
        Assert.Equal(-1, (long)db.Execute("TTL", GeoKeys.IpToCityIdEnds));
    }

    [Fact]
    public void CancellingKeepsTheOldIndexAndDropsStagingKeys()
    {
        var db = fixture.Fresh();
        var old = OldIndex(db);
        var path = fixture.Generated("cancel.csv", p => GeoDataGenerator.WriteLegacyBlocks(p, 20000, 10));
        using var cts = new CancellationTokenSource();
        var stagedBeforeCancel = 0;
        var importer = new GeoImporter(db, cts.Token) { BatchSize = 100 };
        var task = Task.Run(() => importer.Import(GeoImportKind.IpBlocks, path, "geo"));
        Wait.Until(() => (stagedBeforeCancel = StagingKeys().Length) > 0 || task.IsCompleted, "staging keys to appear");
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => task.GetAwaiter().GetResult());
        Assert.True(stagedBeforeCancel > 0, "the import finished before it could be cancelled");
        Assert.Equal(old, GeoImportTests.ZRange(db, GeoKeys.IpToCityId));
        Wait.Until(() => StagingKeys().Length == 0, "staging keys to be dropped");
    }

    [Fact]
    public void AnExceptionFromACallbackLikeErrorActionStopAbortsTheImport()
    {
        var db = fixture.Fresh();
        var old = OldIndex(db);
        var path = fixture.Write("stop.csv", Header + "100,200,9\nbad,1,2\n300,400,9\n");
        var importer = new GeoImporter(db, CancellationToken.None) { Malformed = e => throw new InvalidOperationException("stop at line " + e.Line) };
        Assert.Equal("stop at line 3", Assert.Throws<InvalidOperationException>(() => importer.Import(GeoImportKind.IpBlocks, path, "geo")).Message);
        Assert.Equal(old, GeoImportTests.ZRange(db, GeoKeys.IpToCityId));
        Wait.Until(() => StagingKeys().Length == 0, "staging keys to be dropped");
    }

    [Fact]
    public void ARedisErrorMidwayKeepsTheOldIndex()
    {
        // Sabotage the staging zset so the next batch fails with WRONGTYPE.
        var error = SabotagedImport("100,200,9\nbad,1,2\n300,400,9\n", (db, staging) =>
        {
            var zset = staging.Single(k => !((string)k!).Contains("ends"));
            db.KeyDelete(zset);
            db.StringSet(zset, "not a zset");
        });
        Assert.Contains("WRONGTYPE", error.Message);
        Wait.Until(() => StagingKeys().Length == 0, "staging keys to be dropped");
    }

    [Fact]
    public void ACommitWhoseStagingKeyVanishedReplacesNothing()
    {
        var error = SabotagedImport("100,200,9\n300,400,9\nbad,1,2\n", (db, staging) => db.KeyDelete(staging.Single(k => ((string)k!).Contains("ends"))));
        Assert.Contains("disappeared", error.Message);
        Assert.Equal(2, fixture.Db.HashLength(GeoKeys.IpToCityIdEnds));
    }

    /// <summary>Imports rows over the old index, letting <paramref name="sabotage"/> touch the staging keys at the bad row; the old index must survive.</summary>
    private RedisException SabotagedImport(string rows, Action<IDatabase, RedisKey[]> sabotage)
    {
        var db = fixture.Fresh();
        var old = OldIndex(db);
        var path = fixture.Write("sabotage.csv", Header + rows);
        var importer = new GeoImporter(db, CancellationToken.None)
        {
            BatchSize = 1,
            MaxMalformedPercent = 100, // the bad row is only the hook
            Malformed = _ =>
            {
                db.Ping(); // every batch sent so far has been applied
                sabotage(db, StagingKeys());
            },
        };
        var error = Assert.ThrowsAny<RedisException>(() => importer.Import(GeoImportKind.IpBlocks, path, "geo"));
        Assert.Equal(old, GeoImportTests.ZRange(db, GeoKeys.IpToCityId));
        return error;
    }

    [Fact]
    public async Task ReadersSeeTheOldIndexOrTheNewOneNeverHalf()
    {
        var db = fixture.Fresh();
        var old = OldIndex(db).Length;
        var path = fixture.Generated("readers.csv", p => GeoDataGenerator.WriteLegacyBlocks(p, 30000, 10));
        var seen = new HashSet<(long, long)>();
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var tran = db.CreateTransaction();
                var zcard = tran.SortedSetLengthAsync(GeoKeys.IpToCityId);
                var hlen = tran.HashLengthAsync(GeoKeys.IpToCityIdEnds);
                tran.Execute();
                lock (seen) seen.Add((zcard.Result, hlen.Result));
            }
        });
        Wait.Until(() => { lock (seen) return seen.Count > 0; }, "the reader to start");
        new GeoImporter(db, CancellationToken.None).Import(GeoImportKind.IpBlocks, path, "geo");
        await Task.Delay(50);
        done.Cancel();
        await reader;
        Assert.Equal(new[] { ((long)old, (long)old), (30000L, 30000L) }, seen.OrderBy(s => s.Item1).ToArray());
    }

    /// <summary>Blocks 1..10 of file A (city 7, ends at +49) then B (city 8, ends at +99) over them; address +70 is in A's gap.</summary>
    private (string A, string B) TwoBlockFiles()
    {
        string Rows(int width, int city) => string.Concat(Enumerable.Range(1, 10).Select(i => $"{i * 100},{i * 100 + width},{city}\n"));
        return (fixture.Write("swap-a.csv", Header + Rows(49, 7)), fixture.Write("swap-b.csv", Header + Rows(99, 8)));
    }

    [Fact]
    public void ASwapBetweenTheTwoRoundsOfALookupMakesItAskAgainSoItsAnswersAreAllFromTheNewFile()
    {
        var db = fixture.Fresh();
        var (a, b) = TwoBlockFiles();
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, a);
        db.HashSet(GeoKeys.CityIdToCity, new[] { new HashEntry("7", "[\"A\", \"R\", \"US\"]"), new HashEntry("8", "[\"B\", \"R\", \"US\"]") });
        var attempts = new List<int>();
        // The ranges of the first attempt read A; B is swapped in before the ends are read (without the check: A's block 7_n, B's ends hash without it, so city A for +70).
        var outcomes = CityLookup.Begin(db, new[] { "510", "570" }, betweenRounds: n =>
        {
            attempts.Add(n);
            if (n == 1) GeoImportTests.Import(db, GeoImportKind.IpBlocks, b);
        }).Complete(CancellationToken.None);
        Assert.Equal(new[] { 1, 2 }, attempts);
        Assert.Equal(new[] { "B", "B" }, outcomes.Select(o => o.City?.City).ToArray());
        Assert.Equal(2L, (long)db.StringGet(GeoKeys.IpToCityIdGeneration)); // one increment per import
    }

    [Fact]
    public void ALookupThatMeetsASwapInEveryOptimisticTryReadsAtomically()
    {
        var db = fixture.Fresh();
        var (a, b) = TwoBlockFiles();
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, a);
        db.HashSet(GeoKeys.CityIdToCity, new[] { new HashEntry("7", "[\"A\", \"R\", \"US\"]"), new HashEntry("8", "[\"B\", \"R\", \"US\"]") });
        // Tries 1, 2, 3 swap in B, A, B between their rounds; the atomic read then sees B.
        var lookup = CityLookup.Begin(db, new[] { "510", "570" }, betweenRounds: n => GeoImportTests.Import(db, GeoImportKind.IpBlocks, n % 2 == 1 ? b : a));
        var outcomes = lookup.Complete(CancellationToken.None);
        Assert.Equal(new[] { "B", "B" }, outcomes.Select(o => o.City?.City).ToArray());
        Assert.True(lookup.Read!.Atomic);
        Assert.Equal(CityIndexRead.OptimisticAttempts, lookup.Read.Attempts);
        Assert.Equal(4L, (long)db.StringGet(GeoKeys.IpToCityIdGeneration));
    }

    [Fact]
    public void TheAtomicReadAnswersLikeTheOptimisticOne()
    {
        var db = fixture.Fresh();
        var dir = System.IO.Path.Combine(fixture.Directory, "atomic-sample");
        GeoDataGenerator.WriteSampleSet(dir);
        foreach (var (kind, file) in new[] { (GeoImportKind.IpBlocks, "GeoLiteCity-Blocks.csv"), (GeoImportKind.IpBlocks, "GeoLite2-City-Blocks-IPv6.csv"), (GeoImportKind.CityLocations, "GeoLiteCity-Location.csv") })
        {
            GeoImportTests.Import(db, kind, System.IO.Path.Combine(dir, file));
        }
        var starts = db.SortedSetRangeByRankWithScores(GeoKeys.IpToCityId, 0, 40).Select(e => (long)e.Score).ToList();
        var v6 = db.SortedSetRangeByRank(GeoKeys.IpToCityIdV6, 0, 20).Select(m => ((string)m!)[..32]).ToList();
        var addresses = starts.SelectMany(s => new[] { GeoDataGenerator.Address(s, dotted: true), GeoDataGenerator.Address(s + 300, dotted: false) })
            .Concat(v6.Select(h => GeoDataGenerator.ToIPv6(UInt128.Parse(h, System.Globalization.NumberStyles.AllowHexSpecifier))))
            .Concat(new[] { "0.0.0.1", "::1", "not an address", "255.255.255.255" }).ToList();
        var optimistic = CityLookup.Begin(db, addresses);
        var atomic = CityLookup.Begin(db, addresses, optimisticAttempts: 0);
        var expected = optimistic.Complete(CancellationToken.None);
        static object Text(CityLookupOutcome o) => (o.Address, o.City?.ToString(), o.City?.CityId, o.InvalidAddress, o.Problem);
        Assert.Equal(expected.Select(Text), atomic.Complete(CancellationToken.None).Select(Text));
        Assert.False(optimistic.Read!.Atomic);
        Assert.True(atomic.Read!.Atomic);
        Assert.Contains(expected, o => o.Address.Contains(':') && (o.City is not null || o.Problem!.Contains("names city id"))); // an IPv6 block found
        Assert.Contains(expected, o => o.City is null && o.Problem!.Contains("gap"));
        Assert.True(expected.Count(o => o.City is not null) > 40);
    }

    [Fact]
    public void EachSwapIncrementsItsFilesGenerationKey()
    {
        var db = fixture.Fresh();
        var (a, _) = TwoBlockFiles();
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, a);
        GeoImportTests.Import(db, GeoImportKind.IpBlocks, a);
        var locations = fixture.Write("gen-loc.csv", "locId,country,region,city,postalCode,latitude,longitude,metroCode,areaCode\n7,\"US\",\"R\",\"A\",\"\",0,0,,\n");
        GeoImportTests.Import(db, GeoImportKind.CityLocations, locations);
        Assert.Equal(2L, (long)db.StringGet(GeoKeys.IpToCityIdGeneration));
        Assert.Equal(1L, (long)db.StringGet(GeoKeys.CityIdToCityGeneration));
        Assert.Equal(-1, (long)db.Execute("TTL", GeoKeys.IpToCityIdGeneration));
    }
}
