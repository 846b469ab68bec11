using System;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// Where a session reads component configs from: the config server of book 5.4. Connected lazily,
/// through the shared pool, so all sessions pointing at one config server share one multiplexer.
/// </summary>
public sealed class ConfigServer : IDisposable
{
    /// <summary>Environment variable naming the default config server.</summary>
    public const string EnvironmentVariable = "REDIS_COMPONENTS_CONFIG_SERVER";
    public const string FallbackConfiguration = "localhost:6379";

    private readonly ConfigurationOptions options;
    private readonly ConfigurationOptions? sentinelOptions;
    private readonly string poolKey;
    private readonly object gate = new();
    private MultiplexerLease? lease;

    public ConfigServer(string configuration, System.Net.NetworkCredential? credential = null)
    {
        var config = ConnectionStrings.ToConfig(configuration, credential);
        options = config.ToOptions();
        sentinelOptions = config.ToSentinelOptions();
        poolKey = config.PoolKey;
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

    public int Database => options.DefaultDatabase ?? 0;

    public bool IsConnected
    {
        get { lock (gate) return lease?.Multiplexer.IsConnected ?? false; }
    }

    /// <summary>True once a connection was attempted and is currently down (a GET would only wait).</summary>
    public bool IsKnownDown
    {
        get { lock (gate) return lease is not null && !lease.Multiplexer.IsConnected; }
    }

    public IConnectionMultiplexer Multiplexer
    {
        get
        {
            lock (gate)
            {
                lease ??= MultiplexerPool.Shared.Acquire(options, poolKey, sentinelOptions);
                return lease.Multiplexer;
            }
        }
    }

    public IDatabase GetDatabase() => Multiplexer.GetDatabase(Database);

    /// <summary>
    /// GET on the config server that never waits on a server known to be down: a disconnected
    /// multiplexer fails at once (it keeps reconnecting in the background), a live one is bounded by its timeout.
    /// </summary>
    public RedisValue ReadKey(string key)
    {
        var mux = Multiplexer;
        if (!mux.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"config server {Display} is not connected");
        }
        return mux.GetDatabase(Database).StringGet(key);
    }

    /// <summary>The one server behind the config server, for SCAN.</summary>
    public IServer Server
    {
        get
        {
            var mux = Multiplexer;
            return mux.GetServer(mux.GetEndPoints()[0]);
        }
    }

    public override string ToString() => Display;

    public void Dispose()
    {
        lock (gate)
        {
            lease?.Dispose();
            lease = null;
        }
    }
}
