using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using RedisComponents.Logging;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Bench;

/// <summary>
/// P3: Write-RedisRecentLog. A 100k-message pipeline against the same LPUSH/LTRIM batches sent by raw
/// StackExchange.Redis (from C#, and from a PowerShell pipeline, which pays the same per-item pipeline cost),
/// and one-message calls in a loop against a PowerShell loop doing the same MULTI/EXEC through raw
/// StackExchange.Redis on an IDatabase from the same runspace.
/// </summary>
internal sealed class P3RecentLog : IScenario
{
    private const int Batch = 1000;

    public string Id => "P3";
    public string Title => "Write-RedisRecentLog: piped and one call per message vs raw StackExchange.Redis";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var messages = context.Scale(100_000);
        var calls = context.Scale(5_000);
        var ps = context.NewHost();
        var db = context.Raw.GetDatabase();
        // The same bytes as the cmdlet pushes: one asctime prefix, then the message.
        var prefix = AscTime.Format(AscTime.LocalNow());
        var texts = Enumerable.Range(0, messages).Select(i => $"message number {i}").ToArray();
        var vars = new Dictionary<string, object?> { ["msgs"] = texts, ["db"] = db, ["prefix"] = prefix, ["n"] = calls, ["batch"] = Batch, ["none"] = CommandFlags.None, ["always"] = When.Always };

        const string PsPipe = """
            $key = [StackExchange.Redis.RedisKey]'recent:p3raw:info'
            $msgs | & {
                begin { $b = [System.Collections.Generic.List[StackExchange.Redis.RedisValue]]::new($batch) }
                process {
                    $b.Add("$prefix $_")
                    if ($b.Count -ge $batch) { $t = $db.CreateTransaction($null); $null = $t.ListLeftPushAsync($key, $b.ToArray(), $none); $null = $t.ListTrimAsync($key, 0, 99, $none); $null = $t.Execute($none); $b.Clear() }
                }
                end { if ($b.Count) { $t = $db.CreateTransaction($null); $null = $t.ListLeftPushAsync($key, $b.ToArray(), $none); $null = $t.ListTrimAsync($key, 0, 99, $none); $null = $t.Execute($none) } }
            }
            """;
        const string PsLoop = """
            $key = [StackExchange.Redis.RedisKey]'recent:p3looppr:info'
            foreach ($i in 1..$n) { $t = $db.CreateTransaction($null); $null = $t.ListLeftPushAsync($key, [StackExchange.Redis.RedisValue]"$prefix m$i", $always, $none); $null = $t.ListTrimAsync($key, 0, 99, $none); $null = $t.Execute($none) }
            """;
        void CsPipe()
        {
            foreach (var chunk in texts.Chunk(Batch))
            {
                var t = db.CreateTransaction();
                _ = t.ListLeftPushAsync("recent:p3cs:info", chunk.Select(m => (RedisValue)(prefix + " " + m)).ToArray());
                _ = t.ListTrimAsync("recent:p3cs:info", 0, 99);
                t.Execute();
            }
        }
        void CsLoop()
        {
            for (var i = 1; i <= calls; i++)
            {
                var t = db.CreateTransaction();
                _ = t.ListLeftPushAsync("recent:p3loopcs:info", prefix + " m" + i);
                _ = t.ListTrimAsync("recent:p3loopcs:info", 0, 99);
                t.Execute();
            }
        }

        // Alternating runs, so load from elsewhere on the machine hits every variant alike.
        var (ours, psRaw, csRaw) = Interleaved(5,
            () => ps.Run("$msgs | Write-RedisRecentLog -Component bench -Name p3", vars).ThrowIfFailed(),
            () => ps.Run(PsPipe, vars).ThrowIfFailed(),
            CsPipe);
        Check(db, "recent:p3:info", "recent:p3raw:info", "recent:p3cs:info");

        var (oursLoop, psLoop, csLoop) = Interleaved(5,
            () => ps.Run("foreach ($i in 1..$n) { Write-RedisRecentLog -Component bench -Name p3loop -Message \"m$i\" }", vars).ThrowIfFailed(),
            () => ps.Run(PsLoop, vars).ThrowIfFailed(),
            CsLoop);
        Check(db, "recent:p3loop:info", "recent:p3looppr:info", "recent:p3loopcs:info");

        var rate = (double)messages / ours.TotalSeconds;
        var psRate = messages / psRaw.TotalSeconds;
        var csRate = messages / csRaw.TotalSeconds;
        var n = $"{messages / 1000}k";
        yield return new BenchRow(Id, $"{n} msgs piped into Write-RedisRecentLog vs PowerShell pipeline + raw SE.Redis batches of {Batch}",
            Measure.PerSecond(rate), Measure.PerSecond(psRate), Measure.Ratio(rate / psRate), "≥ 0.70×", rate / psRate >= 0.7);
        yield return new BenchRow(Id, $"{n} msgs piped into Write-RedisRecentLog vs raw SE.Redis batches of {Batch} from C#",
            Measure.PerSecond(rate), Measure.PerSecond(csRate), Measure.Ratio(rate / csRate), "≥ 0.70×", rate / csRate >= 0.7);

        var perCall = oursLoop.TotalMilliseconds * 1000 / calls;
        var psPerCall = psLoop.TotalMilliseconds * 1000 / calls;
        var csPerCall = csLoop.TotalMilliseconds * 1000 / calls;
        yield return new BenchRow(Id, $"{calls} one-message Write-RedisRecentLog calls (time/call) vs PowerShell loop of raw MULTI/EXEC LPUSH+LTRIM",
            Measure.Us(perCall), Measure.Us(psPerCall), Measure.Ratio(perCall / psPerCall), "≤ 1.30×", perCall / psPerCall <= 1.3);
        yield return new BenchRow(Id, $"{calls} one-message calls (time/call) vs C# loop of raw MULTI/EXEC (no PowerShell; for reference)",
            Measure.Us(perCall), Measure.Us(csPerCall), Measure.Ratio(perCall / csPerCall), "", null);
    }

    /// <summary>Median wall time of each action over <paramref name="runs"/> rounds that run them in turn, after one warm-up round.</summary>
    private static (TimeSpan, TimeSpan, TimeSpan) Interleaved(int runs, Action a, Action b, Action c)
    {
        var actions = new[] { a, b, c };
        var times = actions.Select(_ => new List<TimeSpan>()).ToArray();
        for (var round = -1; round < runs; round++)
        {
            for (var i = 0; i < actions.Length; i++)
            {
                var sw = Stopwatch.StartNew();
                actions[i]();
                if (round >= 0) times[i].Add(sw.Elapsed);
            }
        }
        var medians = times.Select(t => t.OrderBy(x => x).ElementAt(t.Count / 2)).ToArray();
        return (medians[0], medians[1], medians[2]);
    }

    /// <summary>Every variant must have left the same 100-entry list shape, or the comparison is void.</summary>
    private static void Check(IDatabase db, params string[] keys)
    {
        foreach (var key in keys)
        {
            var length = db.ListLength(key);
            if (length != 100) throw new UnreachableException($"{key} has {length} entries, expected 100: the variants did not do the same work.");
        }
    }
}
