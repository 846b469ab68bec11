using System;
using System.Collections.Generic;
using System.Linq;
using RedisComponents.Configuration;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// One PowerShell session's view of the components (book 5.4.3, <c>redis_connection</c>): which config
/// server it reads, the connection it resolved for each component, and when it last read each config.
/// A config is re-read at most once per <see cref="RefreshSeconds"/>; a changed config switches to a new
/// connection from that call on, and the old multiplexer closes once nothing uses it.
/// </summary>
public sealed class ComponentSession : IDisposable
{
    public const double DefaultRefreshSeconds = 1;

    private readonly object gate = new();
    private readonly Dictionary<string, Cached> components = new(StringComparer.Ordinal);
    private ConfigServer? configServer;
    private bool outageWarned;
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

    /// <summary>Points the session at another config server; cached component connections are dropped.</summary>
    public void UseConfigServer(ConfigServer server, double refreshSeconds)
    {
        if (!(refreshSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(refreshSeconds));
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            configServer?.Dispose();
            configServer = server;
            RefreshSeconds = refreshSeconds;
            outageWarned = false;
            maintenanceCheckedAt = double.NegativeInfinity;
            ForgetAllLocked();
        }
    }

    /// <summary>
    /// The connection for <paramref name="component"/>. The caller owns the returned object and must
    /// dispose it when done (that keeps the multiplexer alive across a config change mid-pipeline).
    /// </summary>
    /// <param name="component">The component name (config key <c>config:redis:NAME</c>).</param>
    /// <param name="warn">Receives warnings: unknown config keys, config server outages.</param>
    public ComponentConnection Resolve(string component, Action<string>? warn = null)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var server = ConfigServer;
            var now = ModuleClock.MonotonicSeconds;
            components.TryGetValue(component, out var cached);
            if (cached is not null && now - cached.CheckedAt < RefreshSeconds)
            {
                return cached.Share();
            }

            var key = ConfigStore.KeyFor(ConfigStore.RedisType, component);
            RedisValue json;
            try
            {
                json = server.ReadKey(key);
                outageWarned = false;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                if (cached is null)
                {
                    throw new ComponentException(ComponentFailure.ConfigServerUnreachable, component, key, server.Display,
                        $"Cannot read the config of component '{component}': config server {server.Display} did not answer ({RedisErrorText.Short(ex.Message)}). " +
                        "Start that Redis, or point this session at a running one with Connect-RedisConfigServer.", ex);
                }
                if (!outageWarned)
                {
                    outageWarned = true;
                    warn?.Invoke($"Config server {server.Display} did not answer; component '{component}' keeps its last known config ({cached.Config.Endpoint}) until it is back.");
                }
                cached.CheckedAt = now;
                return cached.Share();
            }

            if (json.IsNull)
            {
                Drop(component);
                throw new ComponentException(ComponentFailure.ConfigNotFound, component, key, server.Display,
                    $"Component '{component}' has no config: key '{key}' does not exist on config server {server.Display}. " +
                    $"Create it with Set-RedisComponentConfig -Component '{component}' -ConnectionString 'host:port', or check the name with Get-RedisComponentConfig.");
            }

            var text = (string)json!;
            if (cached is not null && cached.Json == text)
            {
                cached.CheckedAt = now;
                cached.ConfigReadAt = ModuleClock.UtcNow;
                return cached.Share();
            }

            RedisPyConfig config;
            try
            {
                config = RedisPyConfig.Parse(text);
            }
            catch (FormatException ex)
            {
                Drop(component);
                throw new ComponentException(ComponentFailure.ConfigInvalid, component, key, server.Display,
                    $"The config of component '{component}' (key '{key}' on config server {server.Display}) is invalid: {ex.Message}. " +
                    "Rewrite it with Set-RedisComponentConfig.", ex);
            }
            if (config.UnknownKeys.Count > 0)
            {
                warn?.Invoke($"The config of component '{component}' (key '{key}') has keys this module does not use: {string.Join(", ", config.UnknownKeys)}.");
            }

            MultiplexerLease lease;
            try
            {
                lease = MultiplexerPool.Shared.Acquire(config.ToOptions(), config.PoolKey, config.ToSentinelOptions());
            }
            catch (Exception ex) when (ex is RedisException or ArgumentException or System.Net.Sockets.SocketException)
            {
                throw Unreachable(component, config, ex.Message, ex);
            }
            var fresh = new Cached(component, text, config, lease, now, ModuleClock.UtcNow);
            Drop(component);
            components[component] = fresh;
            if (lease.CreatedConnection && !lease.Multiplexer.IsConnected)
            {
                // Keep the entry: its multiplexer keeps reconnecting, so the next call recovers by itself.
                throw ComponentFailures.ForFailedConnect(component, config, lease);
            }
            return fresh.Share();
        }
    }

    /// <summary>
    /// True when <paramref name="held"/> is still this session's connection for the component and the
    /// refresh window has not passed: a pipeline can keep using it without resolving again.
    /// </summary>
    public bool IsCurrent(string component, ComponentConnection held)
    {
        lock (gate)
        {
            return !disposed && components.TryGetValue(component, out var cached)
                && ModuleClock.MonotonicSeconds - cached.CheckedAt < RefreshSeconds
                && held.Uses(cached.Lease);
        }
    }

    internal static ComponentException AuthenticationFailed(string component, RedisPyConfig config, Exception? inner) =>
        new(ComponentFailure.AuthenticationFailed, component, ConfigStore.KeyFor(ConfigStore.RedisType, component), config.Endpoint,
            $"Component '{component}': Redis at {config.Endpoint} rejected the username/password of its config (key '{ConfigStore.KeyFor(ConfigStore.RedisType, component)}'{(config.Username is null ? "" : $", user '{config.Username}'")}). " +
            $"Fix them with Set-RedisComponentConfig -Component '{component}' -Config @{{ ... username = ...; password = ... }}.", inner);

    internal static ComponentException Unreachable(string component, RedisPyConfig config, string detail, Exception? inner) =>
        new(ComponentFailure.ComponentUnreachable, component, ConfigStore.KeyFor(ConfigStore.RedisType, component), config.Endpoint,
            $"Component '{component}' is unreachable: Redis at {config.Endpoint} did not answer ({RedisErrorText.Short(detail)}). " +
            $"Check that server, or fix the config with Set-RedisComponentConfig -Component '{component}'. Timeouts come from the config's socket_timeout/socket_connect_timeout (default {RedisPyConfig.DefaultTimeoutSeconds} s).", inner);

    /// <summary>The cached connections of this session (none of them is a secret).</summary>
    public IReadOnlyList<ComponentConnectionInfo> Connections
    {
        get
        {
            lock (gate)
            {
                var server = configServer?.Display ?? "";
                return components.Values.OrderBy(c => c.Component, StringComparer.OrdinalIgnoreCase).Select(c => new ComponentConnectionInfo
                {
                    Component = c.Component,
                    Endpoint = c.Config.Endpoint,
                    Database = c.Config.Db,
                    IsConnected = c.Lease.Multiplexer.IsConnected,
                    ConfigReadAt = c.ConfigReadAt,
                    ConnectedAt = c.Lease.ConnectedAt,
                    ConfigServer = server,
                }).ToList();
            }
        }
    }

    /// <summary>Forgets cached connections (all when <paramref name="names"/> is null); returns the names forgotten.</summary>
    public IReadOnlyList<string> Forget(IEnumerable<string>? names)
    {
        lock (gate)
        {
            var targets = names?.Where(components.ContainsKey).Distinct().ToList() ?? components.Keys.ToList();
            foreach (var name in targets) Drop(name);
            return targets;
        }
    }

    /// <summary>Book 5.4.1 <c>is_under_maintenance</c>: the flag, re-read at most once a second per session.</summary>
    public bool IsUnderMaintenance()
    {
        lock (gate)
        {
            var now = ModuleClock.MonotonicSeconds;
            if (now - maintenanceCheckedAt >= MaintenanceFlag.CacheSeconds)
            {
                underMaintenance = MaintenanceFlag.Read(ConfigServer.GetDatabase());
                maintenanceCheckedAt = now;
            }
            return underMaintenance;
        }
    }

    /// <summary>Makes the next <see cref="IsUnderMaintenance"/> read the server (after this session changed the flag).</summary>
    public void InvalidateMaintenance()
    {
        lock (gate) maintenanceCheckedAt = double.NegativeInfinity;
    }

    private void Drop(string component)
    {
        if (components.Remove(component, out var old)) old.Lease.Dispose();
    }

    private void ForgetAllLocked()
    {
        foreach (var c in components.Values) c.Lease.Dispose();
        components.Clear();
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            ForgetAllLocked();
            configServer?.Dispose();
            configServer = null;
        }
    }

    private sealed class Cached(string component, string json, RedisPyConfig config, MultiplexerLease lease, double checkedAt, DateTimeOffset readAt)
    {
        public string Component { get; } = component;
        public string Json { get; } = json;
        public RedisPyConfig Config { get; } = config;
        public MultiplexerLease Lease { get; } = lease;
        public double CheckedAt { get; set; } = checkedAt;
        public DateTimeOffset ConfigReadAt { get; set; } = readAt;

        public ComponentConnection Share() => Lease.AuthenticationFailed ? throw AuthenticationFailed(Component, Config, null) : new(Component, Config, Lease.AddRef());
    }
}
