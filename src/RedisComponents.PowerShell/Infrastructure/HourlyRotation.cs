using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
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
    /// <paramref name="at"/> is when the written items arrived (default now): the hour they count in, as
    /// one call per item at that time would. <paramref name="typed"/> are the keys the commands write with
    /// the type each must have (or be missing): they are checked before the transaction and guarded in it
    /// (WATCH, plus a length check that fails on a wrong type), so a wrong-typed key rejects the whole
    /// transaction with a <see cref="RedisServerException"/> naming it and nothing of it is applied.
    /// </summary>
    /// <exception cref="TimeoutException">Other writers kept winning for the whole timeout.</exception>
    public static T Execute<T>(IDatabase db, string destination, Func<ITransaction, T> addCommands, TimeSpan timeout, CancellationToken cancel = default,
        DateTimeOffset? at = null, IReadOnlyList<(string Key, RedisType Type)>? typed = null) =>
        Execute(db, RotationKeys.Book(destination), addCommands, timeout, cancel, at, typed);

    /// <summary><see cref="Execute{T}(IDatabase, string, Func{ITransaction, T}, TimeSpan, CancellationToken, DateTimeOffset?, IReadOnlyList{ValueTuple{string, RedisType}}?)"/> over explicit key names (the cluster layout's).</summary>
    public static T Execute<T>(IDatabase db, RotationKeys keys, Func<ITransaction, T> addCommands, TimeSpan timeout, CancellationToken cancel = default,
        DateTimeOffset? at = null, IReadOnlyList<(string Key, RedisType Type)>? typed = null)
    {
        var destination = keys.Destination;
        var startKey = keys.Start;
        var deadline = DateTime.UtcNow + timeout;
        var attempts = 0;
        do
        {
            cancel.ThrowIfCancellationRequested();
            attempts++;
            try
            {
                if (TryOnce(out var done)) return done;
            }
            catch (Exception ex) when (Connections.ClusterFaults.NotApplied(ex) && DateTime.UtcNow < deadline)
            {
                // A cluster discarded the attempt as a whole (failover, slot migration): nothing applied, go again.
                if (Connections.ClusterFaults.IsStaleSlotMap(ex)) Connections.ClusterFaults.RefreshSlotMapAsync(db.Multiplexer).Wait(TimeSpan.FromSeconds(5));
                cancel.WaitHandle.WaitOne(50);
            }
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"'{destination}' was changed by other writers on every one of {attempts} attempts within {timeout.TotalSeconds} s; nothing was written.");

        bool TryOnce(out T done)
        {
            var (existing, types) = ReadGuards(db, startKey, typed);
            var hourStart = HourStart(at ?? ModuleClock.UtcNow);
            var tran = db.CreateTransaction();
            if (typed is not null) Guard(tran, typed, types);
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
                    Observe(tran.KeyRenameAsync(destination, keys.Last));
                    _ = tran.KeyRenameAsync(startKey, keys.PreviousStart);
                    _ = tran.StringSetAsync(startKey, hourStart);
                }
            }
            done = addCommands(tran);
            return ServerErrorLog.Execute(db, tran);
        }
    }

    /// <summary>The start key and the types of the guarded keys, in one round trip; a wrong type throws naming the key.</summary>
    private static (RedisValue Start, RedisType[] Types) ReadGuards(IDatabase db, string startKey, IReadOnlyList<(string Key, RedisType Type)>? typed)
    {
        if (typed is null || typed.Count == 0) return (db.StringGet(startKey), Array.Empty<RedisType>());
        var batch = db.CreateBatch();
        var startType = batch.KeyTypeAsync(startKey);
        var types = new Task<RedisType>[typed.Count];
        for (var i = 0; i < typed.Count; i++) types[i] = batch.KeyTypeAsync(typed[i].Key);
        var start = batch.StringGetAsync(startKey);
        batch.Execute();
        CheckType(startKey, db.Wait(startType), RedisType.String);
        var seen = new RedisType[typed.Count];
        for (var i = 0; i < typed.Count; i++) CheckType(typed[i].Key, seen[i] = db.Wait(types[i]), typed[i].Type);
        return (db.Wait(start), seen);
    }

    private static void CheckType(string key, RedisType seen, RedisType expected)
    {
        if (seen != RedisType.None && seen != expected)
        {
            throw new RedisServerException($"WRONGTYPE '{key}' holds a {seen.ToString().ToLowerInvariant()}, not a {expected.ToString().ToLowerInvariant()}; nothing was written for it");
        }
    }

    /// <summary>WATCHes the guarded keys; a length check fails (and so aborts the write) if a key changed type since it was read.</summary>
    private static void Guard(ITransaction tran, IReadOnlyList<(string Key, RedisType Type)> typed, RedisType[] seen)
    {
        for (var i = 0; i < typed.Count; i++)
        {
            var key = typed[i].Key;
            tran.AddCondition(seen[i] switch
            {
                RedisType.None => Condition.KeyNotExists(key),
                RedisType.List => Condition.ListLengthGreaterThan(key, 0),
                RedisType.SortedSet => Condition.SortedSetLengthGreaterThan(key, 0),
                RedisType.Hash => Condition.HashLengthGreaterThan(key, 0),
                RedisType.Set => Condition.SetLengthGreaterThan(key, 0),
                _ => Condition.KeyExists(key),
            });
        }
    }

    /// <summary>A RENAME of a key that does not exist fails inside EXEC; the rest of the transaction still applies.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

/// <summary>
/// The four keys of an hourly rotation. The book's: <c>DEST</c>, <c>DEST:start</c>, <c>DEST:last</c>,
/// <c>DEST:pstart</c>. On a cluster the companions carry DEST as hash tag (<c>{DEST}:start</c> ...) so the
/// rotation is one transaction in DEST's slot while DEST keeps its book name.
/// </summary>
internal sealed record RotationKeys(string Destination, string Start, string Last, string PreviousStart)
{
    public static RotationKeys Book(string destination) => new(destination, destination + ":start", destination + ":last", destination + ":pstart");

    public static RotationKeys Tagged(string destination) => new(destination,
        ClusterKeys.Companion("", destination, ":start"), ClusterKeys.Companion("", destination, ":last"), ClusterKeys.Companion("", destination, ":pstart"));

    public static RotationKeys For(string destination, bool cluster) => cluster ? Tagged(destination) : Book(destination);
}
