using System;
using System.Collections.Generic;
using System.Linq;
using RedisComponents.Logging;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Logging;

/// <summary>
/// Our writes are byte for byte what the book's Python writes, and the Get cmdlets read what Python wrote.
/// Always checked against literal layouts derived from the book's rules; also against redis-py 4.3.4
/// running the book's code when /usr/bin/python3 has it.
/// </summary>
[Collection(ClockCollection.Name)]
public sealed class LoggingInteropTests(LoggingFixture fx) : IClassFixture<LoggingFixture>
{
    // 03:35:03 UTC is 09:05:03 at UTC+05:30: a day of month below 10 shows asctime's space padding.
    private static readonly DateTimeOffset T1 = new(2026, 11, 4, 3, 35, 3, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddHours(1);

    /// <summary>What the book's rules make of the session below, with the log name replaced by N.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["recent:N:warning"] = "list[Wed Nov  4 09:05:03 2026 hellö wörld ✓]",
        ["recent:N:info"] = "list[Wed Nov  4 10:05:03 2026 disk full|Wed Nov  4 09:05:03 2026 cpu hot|Wed Nov  4 09:05:03 2026 disk full|Wed Nov  4 09:05:03 2026 disk full]",
        ["common:N:info"] = "zset[disk full=1]",
        ["common:N:info:last"] = "zset[cpu hot=1|disk full=2]",
        ["common:N:info:start"] = "string[2026-11-04T04:00:00]",
        ["common:N:info:pstart"] = "string[2026-11-04T03:00:00]",
    };

    [Fact]
    public void OurWritesMatchTheBooksLayoutAndPython()
    {
        var ours = LoggingFixture.NewName("ps");
        using (var clock = new ZonedClock(T1))
        {
            Run("Write-RedisRecentLog -Component app -Name $n -Message 'hellö wörld ✓' -Severity Warning", ours);
            Run("'disk full', 'disk full', 'cpu hot' | Write-RedisCommonLog -Component app -Name $n", ours);
            clock.Now = T2;
            Run("Write-RedisCommonLog -Component app -Name $n -Message 'disk full'", ours);
        }
        Assert.Equal(Expected, Dump(ours));

        if (!PythonBook.Available) return;
        var python = LoggingFixture.NewName("py");
        PythonBook.Log(fx.Server.Host, fx.Server.Port, new[]
        {
            ("recent", python, "hellö wörld ✓", 30, T1.ToUnixTimeSeconds()),
            ("common", python, "disk full", 20, T1.ToUnixTimeSeconds()),
            ("common", python, "disk full", 20, T1.ToUnixTimeSeconds()),
            ("common", python, "cpu hot", 20, T1.ToUnixTimeSeconds()),
            ("common", python, "disk full", 20, T2.ToUnixTimeSeconds()),
        });
        Assert.Equal(Dump(ours), Dump(python));
    }

    [Fact]
    public void GetReadsWhatPythonWrote()
    {
        var name = LoggingFixture.NewName("py");
        if (PythonBook.Available)
        {
            PythonBook.Log(fx.Server.Host, fx.Server.Port, new[]
            {
                ("recent", name, "started", 40, T1.ToUnixTimeSeconds()),
                ("recent", name, "stopped", 40, T2.ToUnixTimeSeconds()),
                ("common", name, "slow query", 50, T1.ToUnixTimeSeconds()),
                ("common", name, "slow query", 50, T1.ToUnixTimeSeconds()),
                ("common", name, "timeout", 50, T1.ToUnixTimeSeconds()),
            });
        }
        else
        {
            // The same bytes, as the book's rules say Python writes them.
            fx.Db.ListLeftPush($"recent:{name}:error", new RedisValue[] { "Wed Nov  4 09:05:03 2026 started", "Wed Nov  4 10:05:03 2026 stopped" });
            fx.Db.StringSet($"common:{name}:critical:start", "2026-11-04T03:00:00");
            fx.Db.SortedSetAdd($"common:{name}:critical", new[] { new SortedSetEntry("slow query", 2), new SortedSetEntry("timeout", 1) });
        }

        var recent = Run("Get-RedisRecentLog -Component app -Name $n -Severity Error", name).All<RecentLogEntry>();
        Assert.Equal(new[] { ("stopped", new DateTime(2026, 11, 4, 10, 5, 3)), ("started", new DateTime(2026, 11, 4, 9, 5, 3)) },
            recent.Select(e => (e.Message, e.Time!.Value)));
        var common = Run("Get-RedisCommonLog -Component app -Name $n -Severity Critical", name).All<CommonLogEntry>();
        Assert.Equal(new[] { ("slow query", 2L), ("timeout", 1L) }, common.Select(e => (e.Message, e.Count)));
        Assert.All(common, e => Assert.Equal(new DateTime(2026, 11, 4, 3, 0, 0, DateTimeKind.Utc), e.Hour));
    }

    private PsResult Run(string script, string name) => fx.Ps.Run(script, new() { ["n"] = name }).ThrowIfFailed();

    /// <summary>Every key of log <paramref name="name"/> with its type and exact contents (UTF-8), the name replaced by N.</summary>
    private Dictionary<string, string> Dump(string name)
    {
        var db = fx.Db;
        return fx.Server.AdminServer.Keys(pattern: $"*:{name}:*").Select(k => (string)k!).ToDictionary(
            k => k.Replace($":{name}:", ":N:", StringComparison.Ordinal),
            k => db.KeyType(k) switch
            {
                RedisType.List => "list[" + string.Join("|", db.ListRange(k).Select(Utf8)) + "]",
                RedisType.SortedSet => "zset[" + string.Join("|", db.SortedSetRangeByRankWithScores(k).Select(e => $"{Utf8(e.Element)}={e.Score}")) + "]",
                RedisType.String => "string[" + Utf8(db.StringGet(k)) + "]",
                var other => other.ToString(),
            });
    }

    private static string Utf8(RedisValue value) => System.Text.Encoding.UTF8.GetString((byte[])value!);
}
