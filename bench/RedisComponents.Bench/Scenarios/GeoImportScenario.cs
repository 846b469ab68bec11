using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Tests.Geo;
using StackExchange.Redis;

namespace RedisComponents.Bench.Scenarios;

/// <summary>
/// P4: Import-RedisIpBlock on generated legacy GeoLiteCity-Blocks files of 100k and 1M rows: rows/s
/// against a raw StackExchange.Redis import of the same file (line split, pipelined ZADD+HSET batches,
/// no staging), and peak memory of this process during the first import of each size (it should not grow
/// with the file).
/// </summary>
internal sealed class GeoImportScenario : IScenario
{
    public string Id => "P4";
    public string Title => "Import-RedisIpBlock: 100k and 1M generated rows, rows/s and peak memory";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        using var files = new GeoBenchFiles();
        var small = context.Scale(100_000);
        var large = context.Scale(1_000_000);
        var host = context.NewHost();
        var db = context.Raw.GetDatabase();
        var rows = new List<BenchRow>();
        var peaks = new Dictionary<int, (double Managed, double WorkingSet, double Rate)>();
        foreach (var size in new[] { small, large })
        {
            var path = files.File($"blocks-{size}.csv");
            GeoDataGenerator.WriteLegacyBlocks(path, size, 50_000);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            void Ours() => host.Run("Import-RedisIpBlock -Component bench -Path $p", new() { ["p"] = path }).ThrowIfFailed();
            var (elapsed, managed, workingSet) = Sampled(Ours);
            peaks[size] = (managed, workingSet, size / elapsed.TotalSeconds);
            if (size != large) continue;

            // Both sides under the same sampler, alternated twice (the machine is shared); the best run of each.
            var rawTime = RawRun(db, path);
            var oursTime = Sampled(Ours).Elapsed;
            rawTime = Min(rawTime, RawRun(db, path));
            oursTime = Min(Min(elapsed, oursTime), Sampled(Ours).Elapsed);
            var rate = size / oursTime.TotalSeconds;
            var rawRate = size / rawTime.TotalSeconds;
            var ratio = rate / rawRate;
            rows.Add(new BenchRow(Id, $"import {size:N0} legacy rows (rows/s)", Measure.PerSecond(rate), Measure.PerSecond(rawRate) + " raw ZADD+HSET", Measure.Ratio(ratio), "≥ 0.5×", ratio >= 0.5));
        }
        var managedGrowth = peaks[large].Managed / peaks[small].Managed;
        rows.Add(new BenchRow(Id, $"peak managed heap, {small:N0} → {large:N0} rows", $"{Mib(peaks[small].Managed)} → {Mib(peaks[large].Managed)}", "", Measure.Ratio(managedGrowth), "flat (≤ 1.5×)", managedGrowth <= 1.5));
        var wsGrowth = peaks[large].WorkingSet / peaks[small].WorkingSet;
        rows.Add(new BenchRow(Id, $"peak working set, {small:N0} → {large:N0} rows", $"{Mib(peaks[small].WorkingSet)} → {Mib(peaks[large].WorkingSet)}", "", Measure.Ratio(wsGrowth), "flat (≤ 1.5×)", wsGrowth <= 1.5));
        return rows;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A raw import into empty keys (as ours builds a fresh staging key), timed under the sampler.</summary>
    private static TimeSpan RawRun(IDatabase db, string path)
    {
        db.KeyDelete(new RedisKey[] { "raw:ip2cityid:", "raw:ip2cityid:ends" });
        return Sampled(() => RawImport(db, path)).Elapsed;
    }

    /// <summary>Runs the action while a thread samples the managed heap and the working set every 10 ms.</summary>
    private static (TimeSpan Elapsed, double PeakManaged, double PeakWorkingSet) Sampled(Action action)
    {
        long managed = 0, workingSet = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                managed = Math.Max(managed, GC.GetTotalMemory(false));
                process.Refresh();
                workingSet = Math.Max(workingSet, process.WorkingSet64);
                Thread.Sleep(10);
            }
        });
        var clock = Stopwatch.StartNew();
        action();
        var elapsed = clock.Elapsed;
        stop.Cancel();
        sampler.Wait();
        return (elapsed, managed, workingSet);
    }

    /// <summary>The baseline: what a hand-written import costs with the same batching, minus CSV parsing, staging and checks.</summary>
    private static void RawImport(IDatabase db, string path)
    {
        var entries = new List<SortedSetEntry>(2000);
        var ends = new List<HashEntry>(2000);
        var inFlight = new Queue<Task>();
        var index = -1;
        foreach (var line in File.ReadLines(path))
        {
            index++;
            var fields = line.Replace("\"", "").Split(',');
            if (fields.Length < 3 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)) continue;
            var member = fields[2] + "_" + index.ToString(CultureInfo.InvariantCulture);
            entries.Add(new SortedSetEntry(member, start));
            ends.Add(new HashEntry(member, fields[1]));
            if (entries.Count < 2000) continue;
            inFlight.Enqueue(db.SortedSetAddAsync("raw:ip2cityid:", entries.ToArray()));
            inFlight.Enqueue(db.HashSetAsync("raw:ip2cityid:ends", ends.ToArray()));
            entries.Clear();
            ends.Clear();
            while (inFlight.Count > 16) inFlight.Dequeue().Wait();
        }
        if (entries.Count > 0) inFlight.Enqueue(db.SortedSetAddAsync("raw:ip2cityid:", entries.ToArray()));
        if (ends.Count > 0) inFlight.Enqueue(db.HashSetAsync("raw:ip2cityid:ends", ends.ToArray()));
        Task.WaitAll(inFlight.ToArray());
    }

    private static string Mib(double bytes) => (bytes / 1024 / 1024).ToString("0", CultureInfo.InvariantCulture) + " MiB";
}

/// <summary>A temporary folder for the generated CSV files of a geo scenario, deleted afterwards.</summary>
internal sealed class GeoBenchFiles : IDisposable
{
    public GeoBenchFiles() => System.IO.Directory.CreateDirectory(Directory);

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "redis-components-bench-geo-" + Guid.NewGuid().ToString("N")[..8]);

    public string File(string name) => Path.Combine(Directory, name);

    public void Dispose() => System.IO.Directory.Delete(Directory, true);
}
