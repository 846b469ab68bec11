using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Logging;

/// <summary>
/// Book 5.1.1 <c>log_recent</c>: <c>recent:NAME:SEVERITY</c> is a list of <c>asctime + ' ' + message</c>,
/// newest first, trimmed to the last <see cref="Keep"/> entries by the same MULTI/EXEC that pushes.
/// </summary>
internal static class RecentLog
{
    public const int Keep = 100;

    public static string KeyFor(string name, LogSeverity severity) => $"recent:{name}:{severity.KeyPart()}";

    /// <summary>
    /// Writes a batch in one MULTI/EXEC: per key one variadic LPUSH (same order as one LPUSH per message,
    /// so the last message ends up first) and one LTRIM 0 99, so no reader ever sees more than 100 entries.
    /// </summary>
    public static void Write(IDatabase db, IReadOnlyList<LogMessage> messages)
    {
        var tran = db.CreateTransaction();
        var pending = Queue(tran, messages);
        tran.Execute();
        RedisTasks.AwaitAll(db, pending);
    }

    /// <summary>
    /// <see cref="Write"/> without waiting: completes when the EXEC and every command in it did, and faults
    /// with the first failure (e.g. WRONGTYPE inside EXEC, which EXEC's own reply does not report).
    /// </summary>
    public static Task WriteAsync(IDatabase db, IReadOnlyList<LogMessage> messages)
    {
        var tran = db.CreateTransaction();
        var pending = Queue(tran, messages);
        pending.Add(tran.ExecuteAsync());
        return Task.WhenAll(pending);
    }

    /// <summary>Queues the LPUSH + LTRIM of <paramref name="messages"/> on a transaction (also used inside the common log's).</summary>
    public static List<Task> Queue(ITransaction tran, IEnumerable<LogMessage> messages)
    {
        var pending = new List<Task>();
        foreach (var group in messages.GroupBy(m => (m.Name, m.Severity)))
        {
            var key = KeyFor(group.Key.Name, group.Key.Severity);
            var entries = group.Select(m => (RedisValue)m.RecentEntry).ToArray(); // AscTime formats each second once
            pending.Add(tran.ListLeftPushAsync(key, entries));
            pending.Add(tran.ListTrimAsync(key, 0, Keep - 1));
        }
        return pending;
    }

    /// <summary>The newest <paramref name="count"/> entries (all when null), newest first.</summary>
    public static IReadOnlyList<RecentLogEntry> Read(IDatabase db, string name, LogSeverity severity, int? count)
    {
        var key = KeyFor(name, severity);
        var values = db.ListRange(key, 0, count is int n ? n - 1 : -1);
        return values.Select(v => RecentLogEntry.Parse(name, severity, key, v!)).ToList();
    }
}
