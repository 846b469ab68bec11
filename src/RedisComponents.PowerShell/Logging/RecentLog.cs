using System;
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
    /// Throws the first key's failure; <see cref="WriteAsync"/> reports them per key.
    /// </summary>
    public static void Write(IDatabase db, IReadOnlyList<LogMessage> messages)
    {
        var outcome = WriteNow(db, messages);
        if (outcome.Failed.Count > 0) throw outcome.Failed[0].Error;
    }

    /// <summary>
    /// <see cref="Write"/> without waiting. Each key's LPUSH + LTRIM either both apply or both fail (a
    /// wrong-typed key fails both), so a failure rejects exactly that key's messages and the other keys'
    /// messages of the batch are written; EXEC's own reply does not report such failures, the commands' do.
    /// </summary>
    public static async Task<LogBatchOutcome> WriteAsync(IDatabase db, IReadOnlyList<LogMessage> messages, bool cluster = false)
    {
        if (cluster) return await WriteSplitAsync(db, messages).ConfigureAwait(false);
        var tran = db.CreateTransaction();
        var pushes = Queue(tran, messages);
        try
        {
            await tran.ExecuteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Outcome(db, pushes, ex);
        }
        return Outcome(db, pushes, null);
    }

    /// <summary>
    /// <see cref="WriteAsync"/> on a standalone server, waiting for EXEC on this thread. The client's
    /// synchronous wait blocks without spinning: a one-message Write-RedisRecentLog call then costs no CPU
    /// while Redis answers (an awaited task's wait spins first, taking a core from Redis on a small machine).
    /// </summary>
    public static LogBatchOutcome WriteNow(IDatabase db, IReadOnlyList<LogMessage> messages)
    {
        var tran = db.CreateTransaction();
        var pushes = Queue(tran, messages);
        try
        {
            tran.Execute();
        }
        catch (Exception ex)
        {
            return Outcome(db, pushes, ex);
        }
        return Outcome(db, pushes, null);
    }

    /// <summary>Per key: written, or failed with the transaction's error or its own command's (both are complete after EXEC).</summary>
    private static LogBatchOutcome Outcome(IDatabase db, List<QueuedPush> pushes, Exception? failed)
    {
        var outcome = new LogBatchOutcome();
        foreach (var push in pushes)
        {
            if (failed is not null)
            {
                outcome.Failed.Add(new LogWriteFailure(push.Key, push.Messages, failed));
                continue;
            }
            try
            {
                db.Wait(push.Push);
                db.Wait(push.Trim);
                outcome.Written.AddRange(push.Messages);
            }
            catch (Exception ex)
            {
                outcome.Failed.Add(new LogWriteFailure(push.Key, push.Messages, ex));
            }
        }
        return outcome;
    }

    /// <summary>
    /// On a cluster the keys of a batch live in different slots and one MULTI cannot span them: one transaction
    /// per key (LPUSH + LTRIM stay atomic per key), all sent at once, so each node gets its keys in one round trip.
    /// </summary>
    private static async Task<LogBatchOutcome> WriteSplitAsync(IDatabase db, IReadOnlyList<LogMessage> messages)
    {
        var parts = messages.GroupBy(m => (m.Name, m.Severity)).Select(g => WriteKeyAsync(db, g.ToList())).ToList();
        var outcome = new LogBatchOutcome();
        foreach (var part in parts)
        {
            var done = await part.ConfigureAwait(false);
            outcome.Written.AddRange(done.Written);
            outcome.Failed.AddRange(done.Failed);
        }
        return outcome;
    }

    /// <summary>
    /// One key's transaction, sent again (a few times, backing off) when the cluster discarded it as a whole
    /// (EXECABORT, TRYAGAIN, CLUSTERDOWN during a failover or slot migration): nothing of it applied, so a resend
    /// writes each message once.
    /// </summary>
    private static async Task<LogBatchOutcome> WriteKeyAsync(IDatabase db, IReadOnlyList<LogMessage> messages)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await WriteAsync(db, messages, cluster: false).ConfigureAwait(false);
            if (outcome.Failed.Count == 0 || attempt >= 6 || !outcome.Failed.All(f => Connections.ClusterFaults.NotApplied(f.Error))) return outcome;
            if (outcome.Failed.Any(f => Connections.ClusterFaults.IsStaleSlotMap(f.Error))) await Connections.ClusterFaults.RefreshSlotMapAsync(db.Multiplexer).ConfigureAwait(false);
            await Task.Delay(50 * (1 << (attempt - 1))).ConfigureAwait(false);
        }
    }

    /// <summary>One key's queued LPUSH + LTRIM and the messages they carry.</summary>
    public sealed record QueuedPush(string Key, IReadOnlyList<LogMessage> Messages, Task Push, Task Trim);

    /// <summary>Queues the LPUSH + LTRIM of <paramref name="messages"/> on a transaction (also used inside the common log's).</summary>
    public static List<QueuedPush> Queue(ITransaction tran, IEnumerable<LogMessage> messages)
    {
        var pending = new List<QueuedPush>();
        foreach (var group in messages.GroupBy(m => (m.Name, m.Severity)))
        {
            var key = KeyFor(group.Key.Name, group.Key.Severity);
            var batch = group.ToList();
            var entries = new RedisValue[batch.Count];
            for (var i = 0; i < entries.Length; i++) entries[i] = batch[i].RecentEntry; // AscTime formats each second once
            pending.Add(new QueuedPush(key, batch, tran.ListLeftPushAsync(key, entries), tran.ListTrimAsync(key, 0, Keep - 1)));
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
