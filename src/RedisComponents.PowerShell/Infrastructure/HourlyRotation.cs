using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The book's hourly rotation (log_common 5.1.2, update_stats 5.2.2): <c>DEST:start</c> holds the current
/// UTC hour as <c>YYYY-MM-DDTHH:00:00</c>; when it is older than now, DEST becomes <c>DEST:last</c> and
/// the start key <c>DEST:pstart</c>. Runs the caller's commands in the same transaction, guarded on the
/// start key (the book's WATCH), retried until the timeout. Fixes the book's errata: a missing start key
/// is set, and a RENAME of a missing DEST does not break the transaction.
/// </summary>
internal static class HourlyRotation
{
    /// <summary>How long a writer keeps retrying against other writers, like the book's <c>timeout=5</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static string HourStart(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH':00:00'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Queues the rotation plus <paramref name="addCommands"/> on one transaction and executes it,
    /// retrying when another writer changed the start key first. Returns what <paramref name="addCommands"/> returned.
    /// </summary>
    /// <exception cref="TimeoutException">Other writers kept winning for the whole timeout.</exception>
    public static T Execute<T>(IDatabase db, string destination, Func<ITransaction, T> addCommands, TimeSpan timeout, CancellationToken cancel = default)
    {
        var startKey = destination + ":start";
        var deadline = DateTime.UtcNow + timeout;
        var attempts = 0;
        do
        {
            cancel.ThrowIfCancellationRequested();
            attempts++;
            var existing = db.StringGet(startKey);
            var hourStart = HourStart(ModuleClock.UtcNow);
            var tran = db.CreateTransaction();
            if (existing.IsNull)
            {
                tran.AddCondition(Condition.KeyNotExists(startKey));
                _ = tran.StringSetAsync(startKey, hourStart);
            }
            else
            {
                tran.AddCondition(Condition.StringEqual(startKey, existing));
                if (string.CompareOrdinal((string)existing!, hourStart) < 0)
                {
                    Observe(tran.KeyRenameAsync(destination, destination + ":last"));
                    _ = tran.KeyRenameAsync(startKey, destination + ":pstart");
                    _ = tran.StringSetAsync(startKey, hourStart);
                }
            }
            var result = addCommands(tran);
            if (tran.Execute()) return result;
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"'{destination}' was changed by other writers on every one of {attempts} attempts within {timeout.TotalSeconds} s; nothing was written.");
    }

    /// <summary>A RENAME of a key that does not exist fails inside EXEC; the rest of the transaction still applies.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
