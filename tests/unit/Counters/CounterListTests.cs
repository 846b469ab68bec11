using System;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Counters;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>Get-RedisCounter without -Precision lists <c>known:</c>; -Name completes from it.</summary>
public sealed class CounterListTests : IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    [Fact]
    public void ListsEveryKnownCounterSortedWithPrecisionsAndNewestSample()
    {
        using var ps = CounterHosts.WithComponent(server);
        ps.Run("'page:/home', 'page:/home', 'page:/cart' | Update-RedisCounter app; Update-RedisCounter app 'api' -Count 7 -Timestamp ([datetime]'2026-01-01T00:00:05Z')").ThrowIfFailed();
        server.Db().SortedSetAdd("known:", "60:only-minutes", 0);      // a counter written by other code at one precision
        server.Db().SortedSetAdd("known:", "junk", 0);                 // not PRECISION:NAME: skipped

        var counters = ps.Run("Get-RedisCounter app").All<CounterInfo>();
        Assert.Equal(new[] { "api", "only-minutes", "page:/cart", "page:/home" }, counters.Select(c => c.Name).ToArray());
        Assert.Equal(new[] { 1, 5, 60, 300, 3600, 18000, 86400 }, counters[0].Precisions);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 5, DateTimeKind.Utc), counters[0].NewestTime);
        Assert.Equal(7, counters[0].NewestCount);
        Assert.Equal(new[] { 60 }, counters[1].Precisions);
        Assert.Null(counters[1].NewestTime);                            // its hash is empty
        Assert.Equal(2, counters[3].NewestCount);
        Assert.All(counters, c => Assert.Equal("app", c.Component));

        Assert.Equal(new[] { "page:/cart", "page:/home" }, ps.Run("Get-RedisCounter app 'page:*'").All<CounterInfo>().Select(c => c.Name).ToArray());
        // The listing pipes into the samples form by property name (Component, Name).
        var samples = ps.Run("Get-RedisCounter app 'page:/home' | Get-RedisCounter -Precision 86400").All<CounterSample>();
        Assert.Equal(2, Assert.Single(samples).Count);

        var table = ps.Render("Get-RedisCounter app");
        Assert.Matches(@"Precisions\s+NewestTime\s+NewestCount\s+Name", table);
        Assert.Matches(@"1,5,60,300,3600,18000,86400 2026-01-01 00:00:05\s+7 api", table);
    }

    [Fact]
    public void AnEmptyKnownSetListsNothing()
    {
        using var ps = CounterHosts.WithComponent(server);
        var result = ps.Run("Get-RedisCounter app -Verbose").ThrowIfFailed();
        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("No counter in 'known:'"));
    }

    [Fact]
    public void NameCompletesFromKnown()
    {
        using var ps = CounterHosts.WithComponent(server);
        ps.Run("'page:/home', 'page:/cart', 'api calls' | Update-RedisCounter app").ThrowIfFailed();
        using var shell = PowerShell.Create(ps.Runspace);
        string[] Complete(string input) =>
            CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToArray();
        Assert.Equal(new[] { "page:/cart", "page:/home" }, Complete("Get-RedisCounter -Component app -Name pa"));
        Assert.Equal(new[] { "'api calls'", "page:/cart", "page:/home" }, Complete("Update-RedisCounter -Component app -Name "));
    }

    public void Dispose() => server.Dispose();
}
