using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Logging;

/// <summary>
/// Book 5.1.2 <c>log_common</c>: <c>common:NAME:SEVERITY</c> is a sorted set of raw messages scored by how
/// often they were logged in the current UTC hour (<c>...:start</c>); at the first write of a new hour it
/// becomes <c>...:last</c> (start key to <c>...:pstart</c>). Each message also goes to the recent log in
/// the same transaction, guarded on the start key (<see cref="HourlyRotation"/>).
/// </summary>
internal static class CommonLog
{
    public static string KeyFor(string name, LogSeverity severity) => $"common:{name}:{severity.KeyPart()}";

    /// <summary>
    /// Writes a batch: one guarded transaction per destination, holding the rotation, one ZINCRBY per
    /// distinct message (by how often it occurs in the batch) and the recent-log LPUSH + LTRIM. The end
    /// state is the one the book's per-message transactions reach within the same hour.
    /// </summary>
    /// <exception cref="TimeoutException">Other writers kept changing the start key for the whole timeout.</exception>
    public static void Write(IDatabase db, IReadOnlyList<LogMessage> messages, TimeSpan timeout, CancellationToken cancel = default)
    {
        foreach (var group in messages.GroupBy(m => (m.Name, m.Severity)))
        {
            var destination = KeyFor(group.Key.Name, group.Key.Severity);
            var batch = group.ToList();
            var pending = HourlyRotation.Execute(db, destination, tran => Queue(tran, destination, batch), timeout, cancel);
            RedisTasks.AwaitAll(db, pending);
        }
    }

    private static List<Task> Queue(ITransaction tran, string destination, IReadOnlyList<LogMessage> batch)
    {
        var pending = new List<Task>();
        foreach (var counted in batch.GroupBy(m => m.Message, StringComparer.Ordinal))
        {
            pending.Add(tran.SortedSetIncrementAsync(destination, counted.Key, counted.Count()));
        }
        pending.AddRange(RecentLog.Queue(tran, batch));
        return pending;
    }

    /// <summary>The counts of the current hour (or, with <paramref name="previous"/>, the last one), most common first.</summary>
    public static IReadOnlyList<CommonLogEntry> Read(IDatabase db, string name, LogSeverity severity, bool previous, int? top)
    {
        var destination = KeyFor(name, severity);
        var key = previous ? destination + ":last" : destination;
        var batch = db.CreateBatch();
        var counts = batch.SortedSetRangeByRankWithScoresAsync(key, 0, top is int n ? n - 1 : -1, Order.Descending);
        var start = batch.StringGetAsync(previous ? destination + ":pstart" : destination + ":start");
        batch.Execute();
        var hour = ParseHour(db.Wait(start));
        return db.Wait(counts).Select(e => new CommonLogEntry
        {
            Name = name,
            Severity = severity,
            Message = e.Element!,
            Count = (long)e.Score,
            Hour = hour,
            Previous = previous,
            Key = key,
        }).ToList();
    }

    /// <summary>The start key's <c>YYYY-MM-DDTHH:00:00</c> as UTC; null when missing or not in that form.</summary>
    private static DateTime? ParseHour(RedisValue value) =>
        !value.IsNull && DateTime.TryParseExact((string)value!, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var hour)
            ? hour
            : null;
}
