using System;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Counters;

/// <summary>Update-RedisStatistic batches: arrays in one binding, objects, all or nothing per key.</summary>
public sealed class StatisticBatchTests
{
    private readonly RedisServer server = TestRedis.Shared;

    [Fact]
    public void AnArrayBindsOnceAndGoesInBatchesOfAThousand()
    {
        using var owned = TestRedis.StartOwned();
        using var ps = CounterHosts.WithComponent(owned);
        ps.Run("Test-RedisComponent app -Quiet").ThrowIfFailed();
        owned.ResetStats();

        var last = ps.Run("Update-RedisStatistic -Component app -Context arr -Type N -Value (1..2500) -PassThru").ThrowIfFailed().All<Statistic>();

        Assert.Equal(3, owned.CommandCalls("exec"));
        Assert.Equal(new[] { 1000L, 2000L, 2500L }, last.Select(s => s.Count));
        Assert.Equal((2500 * 2501 / 2.0, 1.0, 2500.0), (last[^1].Sum, last[^1].Min, last[^1].Max));
    }

    [Fact]
    public void AnArrayWithABadValueIsAParameterErrorAndRecordsNothing()
    {
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("badarr");
        var result = ps.Run("Update-RedisStatistic -Component app -Context $c -Type N -Value 1, -2, 3", new() { ["c"] = context });
        Assert.Contains("finite numbers greater than or equal to 0", result.Terminating?.ToString() ?? result.SingleError().ToString());
        Assert.False(server.Db().KeyExists($"stats:{context}:N"));
    }

    [Fact]
    public void PipedObjectsNameTheirOwnStatistics()
    {
        using var ps = CounterHosts.WithComponent(server);
        var a = CounterHosts.Unique("obj");
        var b = CounterHosts.Unique("obj");
        var result = ps.Run("""
            [pscustomobject]@{ Context = $a; Type = 'Bytes'; Value = 5 },
            [pscustomobject]@{ Context = $b; Type = 'Bytes'; Value = '7' },
            [pscustomobject]@{ Context = $a; Type = 'Bytes'; Value = 9 },
            [pscustomobject]@{ Context = $a; Value = 1 },
            [pscustomobject]@{ Context = $a; Type = 'Bytes'; Value = -1 } | Update-RedisStatistic -Component app
            """, new() { ["a"] = a, ["b"] = b });

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("StatisticInputInvalid,", e.FullyQualifiedErrorId));
        var sa = StatisticStoreTests.Scores(server.Db(), $"stats:{a}:Bytes");
        var sb = StatisticStoreTests.Scores(server.Db(), $"stats:{b}:Bytes");
        Assert.Equal((2.0, 14.0, 5.0, 9.0), (sa["count"], sa["sum"], sa["min"], sa["max"]));
        Assert.Equal((1.0, 7.0), (sb["count"], sb["sum"]));
    }

    [Theory]
    [InlineData("", "hash")]
    [InlineData(":start", "list")]
    [InlineData(":last", "string")]
    [InlineData(":pstart", "set")]
    public void AWrongTypedKeyRejectsItsValuesOnlyAndAppliesNoneOfTheirWrites(string suffix, string type)
    {
        var db = server.Db();
        var bad = CounterHosts.Unique("wrong");
        var good = CounterHosts.Unique("right");
        var wrongKey = $"stats:{bad}:t{suffix}";
        switch (type)
        {
            case "hash": db.HashSet(wrongKey, "f", "v"); break;
            case "list": db.ListRightPush(wrongKey, "x"); break;
            case "set": db.SetAdd(wrongKey, "x"); break;
            default: db.StringSet(wrongKey, "x"); break;
        }
        using var ps = CounterHosts.WithComponent(server);

        // One batch holding values of both statistics, interleaved.
        var result = ps.Run("""
            $items = foreach ($i in 1..10) { [pscustomobject]@{ Context = $bad; Value = $i }; [pscustomobject]@{ Context = $good; Value = $i } }
            $items | Update-RedisStatistic -Component app -Type t; 'after'
            """, new() { ["bad"] = bad, ["good"] = good });

        Assert.Null(result.Terminating);
        var error = result.SingleError();
        Assert.Equal("RedisCommandFailed,RedisComponents.Counters.Commands.UpdateRedisStatisticCommand", error.FullyQualifiedErrorId);
        Assert.Equal(wrongKey, error.TargetObject);
        Assert.Contains($"'{wrongKey}'", error.ErrorDetails.Message);
        Assert.Contains("10 value(s)", error.ErrorDetails.Message);
        Assert.Contains("component 'app'", error.ErrorDetails.Message);
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        // Nothing of the refused statistics: only the wrong key itself exists, unchanged.
        var keys = new[] { "", ":start", ":last", ":pstart" }.Select(s => $"stats:{bad}:t{s}").Where(k => db.KeyExists(k)).ToArray();
        Assert.Equal(new[] { wrongKey }, keys);
        Assert.Equal(type, db.KeyType(wrongKey).ToString().ToLowerInvariant());
        var scores = StatisticStoreTests.Scores(db, $"stats:{good}:t");
        Assert.Equal((10.0, 55.0), (scores["count"], scores["sum"]));
    }
}
