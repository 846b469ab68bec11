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
    /// The log's key as written: the book's <c>common:NAME:SEVERITY</c>; on a cluster <c>common:{recent:NAME:SEVERITY}</c>,
    /// in the slot of the book's recent list, so count, rotation and recent push stay one transaction.
    /// </summary>
    public static string KeyFor(string name, LogSeverity severity, bool cluster) =>
        cluster ? ClusterKeys.Companion("common:", RecentLog.KeyFor(name, severity), "") : KeyFor(name, severity);

    /// <summary>
    /// Writes a batch: one guarded transaction per log and arrival hour (in order), holding the rotation, one
    /// ZINCRBY per distinct message (by how often it occurs) and the recent-log LPUSH + LTRIM. The end state
    /// is the one the book's per-message transactions reach, each message counted in the hour it arrived.
    /// The log's keys are type-checked and guarded in the transaction: a wrong-typed key (or other writers
    /// winning for the whole timeout) rejects that transaction's messages, nothing of them applied; the rest
    /// of the batch is still written.
    /// </summary>
    public static LogBatchOutcome Write(IDatabase db, IReadOnlyList<LogMessage> messages, TimeSpan timeout, CancellationToken cancel = default, bool cluster = false)
    {
        var logs = messages.GroupBy(m => (m.Name, m.Severity)).ToList();
        // On a cluster the logs live on different nodes: one script per log and hour, all sent at once.
        return cluster ? ClusterCommonLog.Write(db, logs, timeout, cancel) : WriteLogs(db, logs, timeout, cancel);
    }

    private static LogBatchOutcome WriteLogs(IDatabase db, IReadOnlyList<IGrouping<(string Name, LogSeverity Severity), LogMessage>> logs, TimeSpan timeout, CancellationToken cancel)
    {
        var outcome = new LogBatchOutcome();
        foreach (var log in logs)
        {
            var destination = KeyFor(log.Key.Name, log.Key.Severity);
            var typed = new[] { (destination, RedisType.SortedSet), (RecentLog.KeyFor(log.Key.Name, log.Key.Severity), RedisType.List) };
            foreach (var hour in log.GroupBy(m => HourlyRotation.HourStart(m.ArrivedUtc), StringComparer.Ordinal).OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                var batch = hour.ToList();
                try
                {
                    var (pending, scores) = HourlyRotation.Execute(db, destination, tran => Queue(tran, destination, batch), timeout, cancel, batch[0].ArrivedUtc, typed);
                    RedisTasks.AwaitAll(db, pending);
                    outcome.Written.AddRange(batch);
                    Count(outcome, destination, hour.Key, batch, scores.ToDictionary(s => s.Key, s => db.Wait(s.Value), StringComparer.Ordinal));
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    outcome.Failed.Add(new LogWriteFailure(WrongKey(ex) ?? destination, batch, ex));
                }
            }
        }
        return outcome;
    }

    /// <summary>The key a type check named, so the error names the very key to fix.</summary>
    internal static string? WrongKey(Exception ex)
    {
        if (ex is not RedisServerException || !ex.Message.StartsWith("WRONGTYPE '", StringComparison.Ordinal)) return null;
        var end = ex.Message.IndexOf('\'', 11);
        return end > 11 ? ex.Message.Substring(11, end - 11) : null;
    }

    /// <summary>
    /// The count each written message reached, as one call per message would report it: the j-th of k
    /// occurrences of a message in the transaction has the final score - k + j.
    /// </summary>
    internal static void Count(LogBatchOutcome outcome, string destination, string hourStart, IReadOnlyList<LogMessage> batch, IReadOnlyDictionary<string, double> scores)
    {
        var hour = ParseHour(hourStart);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var totals = batch.GroupBy(m => m.Message, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var message in batch)
        {
            var j = seen[message.Message] = seen.GetValueOrDefault(message.Message) + 1;
            var final = (long)scores[message.Message];
            outcome.Counted.Add(new CommonLogEntry
            {
                Name = message.Name,
                Severity = message.Severity,
                Message = message.Message,
                Count = final - totals[message.Message] + j,
                Hour = hour,
                Key = destination,
            });
        }
    }

    private static (List<Task> Pending, Dictionary<string, Task<double>> Scores) Queue(ITransaction tran, string destination, IReadOnlyList<LogMessage> batch)
    {
        var pending = new List<Task>();
        var scores = new Dictionary<string, Task<double>>(StringComparer.Ordinal);
        foreach (var counted in batch.GroupBy(m => m.Message, StringComparer.Ordinal))
        {
            var score = tran.SortedSetIncrementAsync(destination, counted.Key, counted.Count());
            scores[counted.Key] = score;
            pending.Add(score);
        }
        foreach (var push in RecentLog.Queue(tran, batch))
        {
            pending.Add(push.Push);
            pending.Add(push.Trim);
        }
        return (pending, scores);
    }

    /// <summary>The counts of the current hour (or, with <paramref name="previous"/>, the last one), most common first.</summary>
    public static IReadOnlyList<CommonLogEntry> Read(IDatabase db, string name, LogSeverity severity, bool previous, int? top, bool cluster = false)
    {
        var destination = KeyFor(name, severity, cluster);
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
