using System;
using System.Collections.Generic;
using System.Threading;
using RedisComponents.Configuration;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections;

/// <summary>
/// One PowerShell session's view of the components (book 5.4.3, <c>redis_connection</c>): which config
/// server it reads, the connection it resolved for each component, and when it last read each config.
/// A config is re-read at most once per <see cref="RefreshSeconds"/> (with 0: once per command invocation);
/// a changed config (db included) switches to a new connection from that call on, and the old multiplexer
/// closes once nothing uses it. No network I/O happens under the session's lock (see <see cref="ComponentResolver"/>).
/// </summary>
public sealed class ComponentSession : IDisposable
{
    public const double DefaultRefreshSeconds = 1;

    private readonly object gate = new();
    private readonly ComponentResolver resolver = new();
    private ConfigServer? configServer;
    private bool disposed;
    private double maintenanceCheckedAt = double.NegativeInfinity;
    private bool underMaintenance;

    public double RefreshSeconds { get; private set; } = DefaultRefreshSeconds;

    /// <summary>The config server; the environment's (or localhost:6379) until Connect-RedisConfigServer.</summary>
    public ConfigServer ConfigServer
    {
        get
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                return configServer ??= ConfigServer.FromEnvironment();
            }
        }
    }

    /// <summary>
    /// Points the session at a config server. The same server as now (equal settings) keeps every cached
    /// connection and only takes the new refresh interval; another one drops them. Returns true when kept.
    /// </summary>
    public bool UseConfigServer(ConfigServer server, double refreshSeconds)
    {
        if (!(refreshSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(refreshSeconds));
        ConfigServer? old;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            RefreshSeconds = refreshSeconds;
            if (configServer is not null && configServer.PoolKey == server.PoolKey && configServer.Database == server.Database)
            {
                old = server; // the new object is a duplicate of the one in use
            }
            else
            {
                old = configServer;
                configServer = server;
                maintenanceCheckedAt = double.NegativeInfinity;
                resolver.Reset();
            }
        }
        old?.Dispose();
        return ReferenceEquals(old, server);
    }

    /// <summary>
    /// The connection for <paramref name="component"/>. The caller owns the returned object and must
    /// dispose it when done (that keeps the multiplexer alive across a config change mid-pipeline).
    /// </summary>
    /// <param name="component">The component name (config key <c>config:redis:NAME</c>).</param>
    /// <param name="warn">Receives warnings (on the calling thread): unknown config keys, config server outages.</param>
    /// <param name="cancel">Ends the wait for a resolution in flight (Ctrl+C, a completer's budget).</param>
    /// <param name="freshSince">A config read at or after this <see cref="ModuleClock.MonotonicSeconds"/> is fresh
    /// whatever the refresh interval (a command invocation's start: with -RefreshSeconds 0, one read per invocation).</param>
    public ComponentConnection Resolve(string component, Action<string>? warn = null, CancellationToken cancel = default,
        double freshSince = double.PositiveInfinity) =>
        resolver.Resolve(ConfigServer, RefreshSeconds, component, warn, cancel, freshSince);

    /// <summary>
    /// True when <paramref name="held"/> still comes from this session's current config for the component
    /// and that config is fresh: a pipeline can keep using it without resolving again.
    /// </summary>
    public bool IsCurrent(string component, ComponentConnection held, double freshSince = double.PositiveInfinity) =>
        !disposed && resolver.IsCurrent(component, held, RefreshSeconds, freshSince);

    internal static ComponentException AuthenticationFailed(string component, RedisPyConfig config, Exception? inner) =>
        new(ComponentFailure.AuthenticationFailed, component, ConfigStore.KeyFor(ConfigStore.RedisType, component), config.Endpoint,
            $"Component '{component}': Redis at {config.Endpoint} rejected the username/password of its config (key '{ConfigStore.KeyFor(ConfigStore.RedisType, component)}'{(config.Username is null ? "" : $", user '{config.Username}'")}). " +
            $"Fix them with Set-RedisComponentConfig -Component '{component}' -Config @{{ ... username = ...; password = ... }}.", inner);

    internal static ComponentException Unreachable(string component, RedisPyConfig config, string detail, Exception? inner) =>
        new(ComponentFailure.ComponentUnreachable, component, ConfigStore.KeyFor(ConfigStore.RedisType, component), config.Endpoint,
            $"Component '{component}' is unreachable: Redis at {config.Endpoint} cannot serve it ({RedisErrorText.Short(detail)}). " +
            $"Check that server, or fix the config with Set-RedisComponentConfig -Component '{component}'. Timeouts come from the config's socket_timeout/socket_connect_timeout (default {RedisPyConfig.DefaultTimeoutSeconds} s).", inner);

    internal static ComponentException MissingDatabase(string component, RedisPyConfig config, int? databases, Exception? inner) =>
        new(ComponentFailure.ConfigInvalid, component, ConfigStore.KeyFor(ConfigStore.RedisType, component), config.Endpoint,
            $"The config of component '{component}' (key '{ConfigStore.KeyFor(ConfigStore.RedisType, component)}') names db {config.Db}, which Redis at {config.Endpoint} does not have" +
            (databases is { } n ? $" (it has databases 0 to {n - 1})" : "") + $". Fix the db with Set-RedisComponentConfig -Component '{component}'.", inner);

    /// <summary>The cached connections of this session (none of them is a secret).</summary>
    public IReadOnlyList<ComponentConnectionInfo> Connections
    {
        get
        {
            string server;
            lock (gate) server = configServer?.Display ?? "";
            return resolver.Snapshot(server);
        }
    }

    /// <summary>Forgets cached connections (all when <paramref name="names"/> is null); returns the names forgotten.</summary>
    public IReadOnlyList<string> Forget(IEnumerable<string>? names)
    {
        if (names is null) return resolver.Forget(null);
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return resolver.Forget(set.Contains);
    }

    /// <summary>Forgets the cached connections whose name matches <paramref name="match"/>; returns the names forgotten.</summary>
    public IReadOnlyList<string> Forget(Func<string, bool> match) => resolver.Forget(match);

    /// <summary>
    /// Book 5.4.1 <c>is_under_maintenance</c>: the flag, re-read at most once a second per session. The read
    /// happens outside the lock (two callers may both read; neither waits behind the other).
    /// </summary>
    public bool IsUnderMaintenance()
    {
        ConfigServer server;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (ModuleClock.MonotonicSeconds - maintenanceCheckedAt < MaintenanceFlag.CacheSeconds) return underMaintenance;
            server = configServer ??= ConfigServer.FromEnvironment();
        }
        var flag = MaintenanceFlag.Read(server.GetDatabase());
        server.RecordSuccess();
        lock (gate)
        {
            underMaintenance = flag;
            maintenanceCheckedAt = ModuleClock.MonotonicSeconds;
            return flag;
        }
    }

    /// <summary>Makes the next <see cref="IsUnderMaintenance"/> read the server (after this session changed the flag).</summary>
    public void InvalidateMaintenance()
    {
        lock (gate) maintenanceCheckedAt = double.NegativeInfinity;
    }

    public void Dispose()
    {
        ConfigServer? server;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            server = configServer;
            configServer = null;
        }
        resolver.Dispose();
        server?.Dispose();
    }
}
