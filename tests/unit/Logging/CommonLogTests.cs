using System;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Logging;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Logging;

/// <summary>The hour comes from a FakeClock, so these run alone in the clock collection.</summary>
[Collection(ClockCollection.Name)]
public sealed class CommonLogTests : IClassFixture<LoggingFixture>, IDisposable
{
    private static readonly DateTimeOffset TenFifteen = new(2026, 11, 24, 10, 15, 0, TimeSpan.Zero);
    private readonly LoggingFixture fx;
    private readonly FakeClock clock;
    private readonly IDisposable restore;
    private readonly string name = LoggingFixture.NewName();

    public CommonLogTests(LoggingFixture fx)
    {
        this.fx = fx;
        clock = FakeClock.Install(TenFifteen, out restore);
    }

    public void Dispose() => restore.Dispose();

    private string Dest => $"common:{name}:info";

    private void Log(string message) =>
        fx.Ps.Run("Write-RedisCommonLog -Component app -Name $n -Message $m", new() { ["n"] = name, ["m"] = message }).ThrowIfFailed();

    private double Sum(string key) => fx.Db.SortedSetRangeByRankWithScores(key).Sum(e => e.Score);

    [Fact]
    public void FirstWriteSetsTheStartKeyCountsAndLogsRecent()
    {
        Log("disk full");
        Log("disk full");

        Assert.Equal("2026-11-24T10:00:00", (string?)fx.Db.StringGet(Dest + ":start"));
        Assert.Equal(2, fx.Db.SortedSetScore(Dest, "disk full"));
        Assert.False(fx.Db.KeyExists(Dest + ":last"));
        var local = TimeZoneInfo.ConvertTime(TenFifteen, TimeZoneInfo.Local).DateTime;
        var expected = AscTime.Format(local) + " disk full";
        Assert.Equal(new[] { expected, expected }, fx.List($"recent:{name}:info"));
    }

    [Fact]
    public void ANewHourMovesTheCountsToLast()
    {
        Log("a");
        Log("a");
        Log("b");
        clock.Set(TenFifteen.AddMinutes(50));
        Log("c");

        Assert.Equal("2026-11-24T11:00:00", (string?)fx.Db.StringGet(Dest + ":start"));
        Assert.Equal("2026-11-24T10:00:00", (string?)fx.Db.StringGet(Dest + ":pstart"));
        Assert.Equal(new[] { "a", "b" }, fx.Db.SortedSetRangeByRank(Dest + ":last", order: Order.Descending).Select(v => (string)v!));
        Assert.Equal(new[] { "c" }, fx.Db.SortedSetRangeByRank(Dest).Select(v => (string)v!));
        Assert.Equal(4, fx.Db.ListLength($"recent:{name}:info"));
    }

    [Fact]
    public void AStartKeyWithoutCountsStillRotates()
    {
        fx.Db.StringSet(Dest + ":start", "2026-11-24T09:00:00");
        Log("x");

        Assert.Equal("2026-11-24T10:00:00", (string?)fx.Db.StringGet(Dest + ":start"));
        Assert.Equal("2026-11-24T09:00:00", (string?)fx.Db.StringGet(Dest + ":pstart"));
        Assert.Equal(1, fx.Db.SortedSetScore(Dest, "x"));
        Assert.False(fx.Db.KeyExists(Dest + ":last"));
    }

    [Fact]
    public void GetListsTheMostCommonFirstForEitherHour()
    {
        fx.Ps.Run("'a', 'b', 'b', 'c', 'b', 'c' | Write-RedisCommonLog -Component app -Name $n -Severity Error", new() { ["n"] = name }).ThrowIfFailed();
        var now = fx.Ps.Run("Get-RedisCommonLog -Component app -Name $n -Severity Error", new() { ["n"] = name }).ThrowIfFailed().All<CommonLogEntry>();
        Assert.Equal(new[] { ("b", 3L), ("c", 2L), ("a", 1L) }, now.Select(e => (e.Message, e.Count)));
        Assert.All(now, e =>
        {
            Assert.Equal(new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc), e.Hour);
            Assert.Equal(DateTimeKind.Utc, e.Hour!.Value.Kind);
            Assert.False(e.Previous);
            Assert.Equal(LogSeverity.Error, e.Severity);
            Assert.Equal($"common:{name}:error", e.Key);
        });
        Assert.Equal("     3 × b", now[0].ToString());

        clock.Set(TenFifteen.AddHours(1));
        fx.Ps.Run("Write-RedisCommonLog -Component app -Name $n -Severity Error -Message d", new() { ["n"] = name }).ThrowIfFailed();
        var previous = fx.Ps.Run("Get-RedisCommonLog -Component app $n -Severity Error -Previous -Top 2", new() { ["n"] = name }).ThrowIfFailed().All<CommonLogEntry>();
        Assert.Equal(new[] { "b", "c" }, previous.Select(e => e.Message));
        Assert.All(previous, e => Assert.True(e.Previous && e.Key.EndsWith(":last", StringComparison.Ordinal) && e.Hour!.Value.Hour == 10));
        var current = fx.Ps.Run("Get-RedisCommonLog -Component app $n -Severity Error", new() { ["n"] = name }).ThrowIfFailed().Single<CommonLogEntry>();
        Assert.Equal(("d", 1L, 11), (current.Message, current.Count, current.Hour!.Value.Hour));
        Assert.Empty(fx.Ps.Run("Get-RedisCommonLog -Component app nothing-here").ThrowIfFailed().Output);
    }

    [Fact]
    public void APipelineCostsOneTransactionPerBatch()
    {
        fx.Server.ResetStats();
        fx.Ps.Run("1..1000 | ForEach-Object { \"m$($_ % 10)\" } | Write-RedisCommonLog -Component app -Name $n", new() { ["n"] = name }).ThrowIfFailed();

        Assert.InRange(fx.Server.CommandCalls("exec"), 2, 3);
        Assert.InRange(fx.Server.CommandCalls("zincrby"), 10, 30);
        Assert.Equal(1000, Sum(Dest));
        Assert.All(fx.Db.SortedSetRangeByRankWithScores(Dest), e => Assert.Equal(100, e.Score));
        var recent = fx.List($"recent:{name}:info");
        Assert.Equal(100, recent.Count);
        Assert.EndsWith(" m0", recent[0]);
    }

    [Fact]
    public async Task FourWritersAcrossAnHourBoundaryLoseNoIncrement()
    {
        clock.Set(new DateTimeOffset(2026, 11, 24, 10, 59, 30, TimeSpan.Zero));
        const int PerHost = 300;
        var hosts = Enumerable.Range(0, 4).Select(_ => fx.NewHost()).ToList();
        try
        {
            var writers = hosts.Select((ps, h) => Task.Run(() => ps.Run("""
                foreach ($i in 1..($per / 2)) { Write-RedisCommonLog -Component app -Name $n -Message "m$($i % 7)" }
                1..($per / 2) | ForEach-Object { "h$h-$($_ % 3)" } | Write-RedisCommonLog -Component app -Name $n
                """, new() { ["n"] = name, ["per"] = PerHost, ["h"] = h }).ThrowIfFailed())).ToArray();

            Wait.Until(() => Sum(Dest) >= 100 || writers.All(w => w.IsCompleted), "the writers to log 100 messages");
            clock.Set(new DateTimeOffset(2026, 11, 24, 11, 0, 5, TimeSpan.Zero));
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

            var before = Sum(Dest + ":last");
            var after = Sum(Dest);
            Assert.Equal(4 * PerHost, before + after);
            Assert.True(before >= 100 && after > 0, $"the hour changed mid-way ({before} before, {after} after)");
            Assert.Equal("2026-11-24T11:00:00", (string?)fx.Db.StringGet(Dest + ":start"));
            Assert.Equal("2026-11-24T10:00:00", (string?)fx.Db.StringGet(Dest + ":pstart"));
            Assert.Equal(100, fx.Db.ListLength($"recent:{name}:info"));
        }
        finally
        {
            foreach (var ps in hosts) ps.Dispose();
        }
    }

    [Fact]
    public void CoreBatchEndsWhereTheBooksPerMessageWritesEnd()
    {
        using var mux = ConnectionMultiplexer.Connect(fx.Server.Endpoint);
        var at = new DateTime(2026, 11, 24, 10, 15, 0);
        var messages = new[] { "a", "b", "a" }.Select(m => new LogMessage(name, LogSeverity.Warning, m, at)).ToList();
        CommonLog.Write(mux.GetDatabase(), messages, TimeSpan.FromSeconds(5));

        var dest = $"common:{name}:warning";
        Assert.Equal(2, fx.Db.SortedSetScore(dest, "a"));
        Assert.Equal(1, fx.Db.SortedSetScore(dest, "b"));
        Assert.Equal(new[] { "Tue Nov 24 10:15:00 2026 a", "Tue Nov 24 10:15:00 2026 b", "Tue Nov 24 10:15:00 2026 a" }, fx.List($"recent:{name}:warning"));
    }

    [Fact]
    public void ReportsAStartKeyOfTheWrongType()
    {
        fx.Db.ListLeftPush(Dest + ":start", "not a string");
        var result = fx.Ps.Run("Write-RedisCommonLog -Component app -Name $n -Message x; 'after'", new() { ["n"] = name });
        var error = result.SingleError();
        Assert.Equal("RedisCommandFailed,RedisComponents.Logging.Commands.WriteRedisCommonLogCommand", error.FullyQualifiedErrorId);
        Assert.Contains(Dest, error.ErrorDetails.Message);
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
    }
}
