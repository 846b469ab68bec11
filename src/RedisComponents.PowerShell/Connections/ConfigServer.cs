using System.Collections.Generic;
using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// Where a session reads component configs from: the config server of book 5.4. Connected lazily,
/// through the shared pool, so all sessions pointing at one config server share one multiplexer.
/// Remembers its last successful read and its last failure (Get-RedisConfigServer shows them).
/// </summary>
public sealed class ConfigServer : IDisposable
{
    /// <summary>Environment variable naming the default config server.</summary>
    public const string EnvironmentVariable = "REDIS_COMPONENTS_CONFIG_SERVER";
    public const string FallbackConfiguration = "localhost:6379";

    private readonly ConfigurationOptions options;
    private readonly ConfigurationOptions? sentinelOptions;
    private readonly object gate = new();
    private MultiplexerLease? lease;
    private bool disposed;

    public ConfigServer(string configuration, System.Net.NetworkCredential? credential = null)
    {
        var config = ConnectionStrings.ToConfig(configuration, credential);
        options = config.ToOptions();
        sentinelOptions = config.ToSentinelOptions();
        PoolKey = config.PoolKey;
        Display = config.ToString();
    }

    /// <summary>The config server of a session that never called Connect-RedisConfigServer.</summary>
    public static ConfigServer FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return new ConfigServer(string.IsNullOrWhiteSpace(configured) ? FallbackConfiguration : configured);
    }

    /// <summary>"host:port[/db]" — safe to print: never carries the password.</summary>
    public string Display { get; }

    /// <summary>Identity of the settings (hashed): two equal configurations are the same config server.</summary>
    internal string PoolKey { get; }

    public int Database => options.DefaultDatabase ?? 0;

    /// <summary>How long one config read may take (the client's timeout), in milliseconds.</summary>
    internal int TimeoutMilliseconds => Math.Max(options.SyncTimeout, options.AsyncTimeout);

    internal int ConnectTimeoutMilliseconds => options.ConnectTimeout;

    /// <summary>Connected now; never connects (no side effect).</summary>
    public bool IsConnected
    {
        get { lock (gate) return lease?.Multiplexer.IsConnected ?? false; }
    }

    /// <summary>True once a connection was attempted and is currently down (a command would only fail).</summary>
    public bool IsKnownDown
    {
        get { lock (gate) return lease is not null && !lease.Multiplexer.IsConnected; }
    }

    /// <summary>When a read last succeeded (UTC), null before the first.</summary>
    public DateTimeOffset? LastReadAt { get; private set; }

    /// <summary>The last failure (one sentence), cleared by the next successful read.</summary>
    public string? LastError { get; private set; }

    internal void RecordSuccess()
    {
        lock (gate)
        {
            LastReadAt = DateTimeOffset.UtcNow;
            LastError = null;
        }
    }

    internal void RecordFailure(string reason)
    {
        lock (gate) LastError = reason;
    }

    /// <summary>The multiplexer; the first use connects (outside any lock: one connect per pool key, bounded by its connect timeout).</summary>
    public IConnectionMultiplexer Multiplexer
    {
        get
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (lease is not null) return lease.Multiplexer;
            }
            var acquired = MultiplexerPool.Shared.Acquire(options, PoolKey, sentinelOptions);
            lock (gate)
            {
                if (lease is null && !disposed)
                {
                    lease = acquired;
                    return lease.Multiplexer;
                }
            }
            acquired.Dispose(); // another caller published first, or the server was disposed meanwhile
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                return lease!.Multiplexer;
            }
        }
    }

    /// <summary>
    /// The config server's database, failing at once (classified by <see cref="RedisFaults"/>) when its
    /// connection is known to be down: it keeps reconnecting in the background.
    /// </summary>
    public IDatabase GetDatabase()
    {
        var mux = Multiplexer;
        if (!mux.IsConnected) throw NotConnected();
        return mux.GetDatabase(Database);
    }

    /// <summary>GET on the config server that never waits on a server known to be down.</summary>
    public RedisValue ReadKey(string key) => GetDatabase().StringGet(key);

    /// <summary>GET without blocking a thread: bounded by the client's async timeout.</summary>
    public Task<RedisValue> ReadKeyAsync(string key) => GetDatabase().StringGetAsync(key);

    /// <summary>The servers to SCAN for configs: the one server, or on a cluster every primary.</summary>
    public IReadOnlyList<IServer> Servers
    {
        get
        {
            var mux = Multiplexer;
            if (!mux.IsConnected) throw NotConnected();
            return ClusterServers.ScanTargets(mux, IsCluster);
        }
    }

    /// <summary>True when the config server is a Redis Cluster (detected on connect).</summary>
    public bool IsCluster
    {
        get
        {
            _ = Multiplexer;
            lock (gate) return lease?.IsCluster ?? false;
        }
    }

    private RedisConnectionException NotConnected() =>
        new(ConnectionFailureType.UnableToConnect, $"config server {Display} is not connected");

    public override string ToString() => Display;

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            lease?.Dispose();
            lease = null;
        }
    }
}
