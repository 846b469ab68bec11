using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Geo;

/// <summary>
/// Builds whole keys out of sight and swaps them in at once. Writes go to staging keys (one per
/// destination, with a TTL so a killed import cleans up after itself) in pipelined batches with a bounded
/// number in flight, so memory stays flat whatever the file size. <see cref="Commit"/> renames every
/// staging key over its destination in one Lua script (atomic for readers), which also increments the
/// destinations' generation key (<see cref="GeoKeys.IpToCityIdGeneration"/>) so a reader can tell that it happened; <see cref="Abort"/> drops them.
/// </summary>
internal sealed class StagedKeyWriter : IDisposable
{
    /// <summary>
    /// Replaces destinations only when every staging key still exists; UNLINK frees the old value off the main
    /// thread. KEYS: ARGV[1] (staging, destination) pairs, then the generation keys, each incremented by the swap.
    /// </summary>
    private const string CommitScript = """
        local n = tonumber(ARGV[1]) * 2
        for i = 1, n, 2 do
          if redis.call('EXISTS', KEYS[i]) == 0 then
            return redis.error_reply('staging key ' .. KEYS[i] .. ' disappeared (expired or deleted) before the import finished')
          end
        end
        for i = 1, n, 2 do
          redis.call('UNLINK', KEYS[i + 1])
          redis.call('RENAME', KEYS[i], KEYS[i + 1])
          redis.call('PERSIST', KEYS[i + 1])
        end
        for i = n + 1, #KEYS do
          redis.call('INCR', KEYS[i])
        end
        return n / 2
        """;

    private readonly IDatabase db;
    private readonly string importId = GeoKeys.NewImportId();
    private readonly int batchSize;
    private readonly int maxInFlight;
    private readonly CancellationToken token;
    private readonly Dictionary<string, string> staging = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SortedSetEntry>> sortedSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HashEntry>> hashes = new(StringComparer.Ordinal);
    private readonly Queue<Task[]> inFlight = new();
    private int pending;
    private bool finished;

    private readonly bool cluster;

    public StagedKeyWriter(IDatabase db, CancellationToken token, int batchSize = 2000, int maxInFlight = 8, bool cluster = false)
    {
        this.cluster = cluster;
        this.db = db;
        this.token = token;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
    }

    /// <summary>How long an unfinished staging key lives after its last batch.</summary>
    public static TimeSpan StagingTtl { get; } = TimeSpan.FromHours(1);

    /// <summary>The destinations written so far (each will be replaced on commit).</summary>
    public IReadOnlyCollection<string> Destinations => staging.Keys;

    public void SortedSetAdd(string destination, RedisValue member, double score)
    {
        Stage(destination, sortedSets).Add(new SortedSetEntry(member, score));
        Added();
    }

    public void HashSet(string destination, RedisValue field, RedisValue value)
    {
        Stage(destination, hashes).Add(new HashEntry(field, value));
        Added();
    }

    /// <summary>Sends what is pending, waits for every batch, then swaps all staging keys in at once.</summary>
    public IReadOnlyList<string> Commit()
    {
        Flush();
        while (inFlight.Count > 0) WaitOldest();
        var keys = staging.SelectMany(p => new RedisKey[] { p.Value, GeoKeys.Physical(p.Key, cluster) })
            .Concat(staging.Keys.Select(k => GeoKeys.Physical(GeoKeys.GenerationOf(k), cluster)).Distinct(StringComparer.Ordinal).Select(k => (RedisKey)k))
            .ToArray();
        if (staging.Count > 0) db.ScriptEvaluate(CommitScript, keys, new RedisValue[] { staging.Count });
        finished = true;
        return staging.Keys.Select(k => GeoKeys.Physical(k, cluster)).ToList();
    }

    /// <summary>Drops the staging keys (queued after any batch still in flight); the TTL covers a dead connection.</summary>
    public void Abort()
    {
        if (finished) return;
        finished = true;
        if (staging.Count == 0) return;
        try
        {
            if (cluster)
            {
                // One file's staging keys share a slot, but stay safe if that ever changes: one UNLINK per key.
                foreach (var key in staging.Values) db.KeyDelete(key, CommandFlags.FireAndForget);
            }
            else
            {
                db.Execute("UNLINK", staging.Values.Cast<object>().ToArray(), CommandFlags.FireAndForget);
            }
        }
        catch (Exception)
        {
            // Best effort: the staging keys expire by themselves.
        }
    }

    public void Dispose() => Abort();

    private List<T> Stage<T>(string destination, Dictionary<string, List<T>> buffers)
    {
        if (!staging.ContainsKey(destination)) staging[destination] = GeoKeys.Staging(GeoKeys.Physical(destination, cluster), importId, cluster);
        if (!buffers.TryGetValue(destination, out var list)) buffers[destination] = list = new List<T>(batchSize);
        return list;
    }

    private void Added()
    {
        if (++pending >= batchSize) Flush();
    }

    private void Flush()
    {
        if (pending == 0) return;
        token.ThrowIfCancellationRequested();
        var tasks = new List<Task>();
        foreach (var (destination, entries) in sortedSets)
        {
            if (entries.Count == 0) continue;
            tasks.Add(db.SortedSetAddAsync(staging[destination], entries.ToArray()));
            tasks.Add(db.KeyExpireAsync(staging[destination], StagingTtl));
            entries.Clear();
        }
        foreach (var (destination, entries) in hashes)
        {
            if (entries.Count == 0) continue;
            tasks.Add(db.HashSetAsync(staging[destination], entries.ToArray()));
            tasks.Add(db.KeyExpireAsync(staging[destination], StagingTtl));
            entries.Clear();
        }
        pending = 0;
        inFlight.Enqueue(tasks.ToArray());
        while (inFlight.Count > maxInFlight) WaitOldest();
    }

    /// <summary>Bounded: each command fails by itself after the connection's timeout; Ctrl+C ends the wait.</summary>
    private void WaitOldest()
    {
        var tasks = inFlight.Dequeue();
        try
        {
            Task.WaitAll(tasks, token);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
