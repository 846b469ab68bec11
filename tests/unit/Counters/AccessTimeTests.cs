using System;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Counters;

public class AccessTimeTests
{
    [Fact]
    public void BlockRunsInCallerScopeAndOutputPassesThrough()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("page");
        var result = ps.Run("$before = 1; $out = Measure-RedisAccessTime -Component app -Context $ctx { $inside = $before + 41; 'a'; 'b' }; $out; $inside",
            new() { ["ctx"] = context }).ThrowIfFailed();
        Assert.Equal(new object[] { "a", "b", 42 }, result.Output.Select(o => o.BaseObject).ToArray());
        var scores = server.Db().SortedSetRangeByRankWithScores($"stats:{context}:AccessTime").ToDictionary(e => (string)e.Element!, e => e.Score);
        Assert.Equal(1, scores["count"]);
        Assert.True(scores["sum"] >= 0 && scores["sum"] < 5, $"sum {scores["sum"]}");
        Assert.Equal(scores["sum"], scores["min"]);
        Assert.Equal(scores["sum"], scores["max"]);
        Assert.Equal(scores["sum"], server.Db().SortedSetScore(AccessTimes.SlowestKey, context));
    }

    [Fact]
    public void ThrowingBlockIsRecordedAndTheErrorRethrown()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("job");
        var result = ps.Run("try { Measure-RedisAccessTime -Component app -Context $ctx { $partial = 'set'; throw 'boom' }; 'not reached' } catch { \"caught: $($_.Exception.Message)\" }; $partial",
            new() { ["ctx"] = context });
        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(new object[] { "caught: boom", "set" }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(1, server.Db().SortedSetScore($"stats:{context}:AccessTime", "count"));
    }

    [Fact]
    public void NonTerminatingErrorsOfTheBlockReachTheCaller()
    {
        var server = TestRedis.Shared;
        using var ps = CounterHosts.WithComponent(server);
        var context = CounterHosts.Unique("job");
        var result = ps.Run("Measure-RedisAccessTime -Component app -Context $ctx { Get-Job -Id 98765; 'after' }", new() { ["ctx"] = context });
        Assert.True(result.Output.Count == 1, result.AllText());
        Assert.Equal(new object[] { "after" }, result.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(result.Errors, e => e.ToString().Contains("98765"));
        Assert.Equal(1, server.Db().SortedSetScore($"stats:{context}:AccessTime", "count"));
    }
}
