using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// Process-wide, reference-counted multiplexers keyed by normalized configuration. Every session and
/// every runspace with equal settings shares one multiplexer; the last lease to go closes it, letting
/// in-flight commands finish first. Thread-safe.
/// </summary>
public sealed class MultiplexerPool
{
    public static MultiplexerPool Shared { get; } = new();

    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>How many distinct multiplexers are open (for diagnostics and tests).</summary>
    public int Count
    {
        get { lock (gate) return entries.Count; }
    }

    /// <summary>
    /// A lease on the multiplexer for these options, connecting it if this is the first lease.
    /// The first connect waits at most the options' connect timeout; a server that is down leaves a
    /// multiplexer that keeps reconnecting in the background.
    /// </summary>
    public MultiplexerLease Acquire(ConfigurationOptions options, string poolKey, ConfigurationOptions? sentinelOptions = null, bool namesCluster = false)
    {
        Entry entry;
        bool created;
        lock (gate)
        {
            created = !entries.TryGetValue(poolKey, out entry!);
            if (created)
            {
                entry = new Entry(this, poolKey, FailFast(options), sentinelOptions, namesCluster);
                entries.Add(poolKey, entry);
            }
            entry.RefCount++;
        }

        try
        {
            _ = entry.Multiplexer; // connects once; other acquirers of the same key wait for that one connect
        }
        catch
        {
            Release(entry);
            throw;
        }
        return new MultiplexerLease(entry, created);
    }

    /// <summary>
    /// The options a pooled multiplexer runs with: commands on a connection known to be down fail at once
    /// instead of queueing behind the timeout; the multiplexer keeps reconnecting in the background.
    /// </summary>
    private static ConfigurationOptions FailFast(ConfigurationOptions options)
    {
        var clone = options.Clone();
        clone.BacklogPolicy = BacklogPolicy.FailFast;
        return clone;
    }

    internal void Release(Entry entry)
    {
        lock (gate)
        {
            if (--entry.RefCount > 0) return;
            if (entries.TryGetValue(entry.Key, out var registered) && ReferenceEquals(registered, entry)) entries.Remove(entry.Key);
        }
        entry.CloseInBackground();
    }

    /// <summary>
    /// Takes a multiplexer out of the pool (its holders keep it until they let go): the next acquisition of
    /// its key connects anew. False when it is already retired or younger than <paramref name="minAge"/>.
    /// </summary>
    internal bool Retire(Entry entry, TimeSpan minAge)
    {
        lock (gate)
        {
            if (entry.Retired || DateTimeOffset.UtcNow - entry.ConnectedAt < minAge) return false;
            entry.Retired = true;
            if (entries.TryGetValue(entry.Key, out var registered) && ReferenceEquals(registered, entry)) entries.Remove(entry.Key);
            return true;
        }
    }

    internal void AddRef(Entry entry)
    {
        lock (gate) entry.RefCount++;
    }

    internal sealed class Entry
    {
        private readonly Lazy<ConnectionMultiplexer> multiplexer;

        private IDisposable? companion;

        public Entry(MultiplexerPool pool, string key, ConfigurationOptions options, ConfigurationOptions? sentinelOptions = null, bool namesCluster = false)
        {
            Pool = pool;
            Key = key;
            multiplexer = new Lazy<ConnectionMultiplexer>(() =>
            {
                var connected = MultiplexerFactory.Connect(options, sentinelOptions, namesCluster);
                IsCluster = connected.IsCluster;
                var mux = connected.Multiplexer;
                companion = connected.Companion;
                AuthenticationFailed = connected.AuthenticationFailed;
                AuthenticationRefusedOnConnect = connected.AuthenticationFailed;
                HandshakeNoPerm = connected.HandshakeNoPerm;
                mux.ConnectionFailed += (_, e) => AuthenticationFailed = e.FailureType == ConnectionFailureType.AuthenticationFailure && RedisErrorText.IsAuthenticationFailure(e.Exception?.ToString() ?? "");
                mux.ConnectionRestored += (_, _) => AuthenticationFailed = false;
                ConnectedAt = DateTimeOffset.UtcNow;
                return mux;
            }, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public MultiplexerPool Pool { get; }
        public string Key { get; }
        public int RefCount { get; set; }
        public DateTimeOffset ConnectedAt { get; private set; }

        /// <summary>Out of the pool: whoever holds it should resolve again.</summary>
        public volatile bool Retired;

        /// <summary>True while the server rejects the credentials (WRONGPASS/NOAUTH on connect).</summary>
        public volatile bool AuthenticationFailed;

        /// <summary>The first connect's AUTH was refused (even if the server then served the connection as 'default').</summary>
        public bool AuthenticationRefusedOnConnect { get; private set; }

        /// <summary>The NOPERM line of the connect log, when the handshake hit a missing permission.</summary>
        public string? HandshakeNoPerm { get; private set; }

        public ConnectionMultiplexer Multiplexer => multiplexer.Value;

        /// <summary>True when the connect found (or the config named) a Redis Cluster.</summary>
        public bool IsCluster { get; private set; }

        public void CloseInBackground()
        {
            if (!multiplexer.IsValueCreated) return;
            var mux = multiplexer.Value;
            _ = Task.Run(async () =>
            {
                try
                {
                    await mux.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Closing a multiplexer whose server is gone can fault; disposal below still frees it.
                }
                finally
                {
                    mux.Dispose();
                    companion?.Dispose();
                }
            });
        }
    }
}

/// <summary>One holder's share of a pooled multiplexer. Dispose exactly once to give it back.</summary>
public sealed class MultiplexerLease : IDisposable
{
    private readonly MultiplexerPool.Entry entry;
    private int disposed;

    internal MultiplexerLease(MultiplexerPool.Entry entry, bool createdConnection)
    {
        this.entry = entry;
        CreatedConnection = createdConnection;
    }

    public IConnectionMultiplexer Multiplexer => entry.Multiplexer;

    /// <summary>True when this lease's acquisition opened the connection (nobody shared it yet).</summary>
    public bool CreatedConnection { get; }

    public DateTimeOffset ConnectedAt => entry.ConnectedAt;

    /// <summary>True while the server rejects this connection's username/password.</summary>
    public bool AuthenticationFailed => entry.AuthenticationFailed || entry.AuthenticationRefusedOnConnect;

    /// <summary>The NOPERM the handshake met, if any (names the command and the user).</summary>
    public string? HandshakeNoPerm => entry.HandshakeNoPerm;

    /// <summary>True once the multiplexer was taken out of the pool (see <see cref="Retire"/>).</summary>
    public bool IsRetired => entry.Retired;

    /// <summary>
    /// Takes this multiplexer out of the pool so that the next resolution connects anew (at most once per
    /// second of its life): for a Sentinel-managed primary whose client keeps writing to a demoted server.
    /// </summary>
    public bool Retire() => entry.Pool.Retire(entry, TimeSpan.FromSeconds(1));

    /// <summary>True when the server is a Redis Cluster (detected on connect, or named by startup_nodes).</summary>
    public bool IsCluster => entry.IsCluster;

    /// <summary>True when both leases share one pooled multiplexer.</summary>
    public bool SharesWith(MultiplexerLease other) => ReferenceEquals(entry, other.entry);

    /// <summary>Another lease on the same multiplexer (for a cmdlet that must outlive the session's cache entry).</summary>
    public MultiplexerLease AddRef()
    {
        entry.Pool.AddRef(entry);
        return new MultiplexerLease(entry, createdConnection: false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) entry.Pool.Release(entry);
    }
}
