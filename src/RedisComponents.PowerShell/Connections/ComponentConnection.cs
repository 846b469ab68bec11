using System;
using System.Collections.Generic;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// A resolved component connection as a cmdlet holds it: the component's database plus a lease that
/// keeps the multiplexer open until the cmdlet is done, even if the config changes meanwhile.
/// </summary>
public sealed class ComponentConnection : IDisposable
{
    private readonly MultiplexerLease lease;

    internal ComponentConnection(string component, RedisPyConfig config, MultiplexerLease lease, object? origin = null)
    {
        Component = component;
        Config = config;
        this.lease = lease;
        Origin = origin ?? this;
        Database = lease.Multiplexer.GetDatabase(config.Db);
    }

    public string Component { get; }
    public RedisPyConfig Config { get; }
    public IDatabase Database { get; }
    public IConnectionMultiplexer Multiplexer => lease.Multiplexer;

    /// <summary>"host:port/db" of the component's server; never a password.</summary>
    public string Endpoint => Config.Db == 0 ? Config.Endpoint : $"{Config.Endpoint}/{Config.Db}";

    /// <summary>The servers to SCAN: the component's one server, or on a cluster every primary.</summary>
    public IReadOnlyList<IServer> Servers => ClusterServers.ScanTargets(Multiplexer, IsCluster);

    /// <summary>True when the component's Redis is a cluster: the module then uses the cluster key layout (README "Redis Cluster").</summary>
    public bool IsCluster => lease.IsCluster;

    /// <summary>Nodes the client knows (primaries and replicas; 1 for a single server).</summary>
    public int NodeCount => Multiplexer.GetEndPoints().Length;

    /// <summary>The resolved config this connection came from: equal origins mean the same config (db included).</summary>
    internal object Origin { get; }

    /// <summary>True when both come from the same resolved config (not merely the same multiplexer).</summary>
    internal bool SharesWith(ComponentConnection other) => ReferenceEquals(Origin, other.Origin);

    internal bool Uses(MultiplexerLease other) => lease.SharesWith(other);

    /// <summary>True while the component's server rejects the credentials of its config.</summary>
    public bool AuthenticationFailed => lease.AuthenticationFailed;

    /// <summary>
    /// The component-level failure a Redis exception on this connection means: rejected credentials or an
    /// unreachable server; null for anything else (a command the server refused, e.g. WRONGTYPE).
    /// </summary>
    public ComponentException? Classify(Exception ex)
    {
        ex = RedisFaults.Unwrap(ex);
        if (ex is ComponentException known) return known;
        if (ComponentFailures.Classify(Component, Config, ex, Multiplexer) is { } specific)
        {
            // A Sentinel-managed primary that the client still takes for the demoted one after a failover: the
            // next resolution connects through the sentinels anew and finds the promoted server.
            if (specific.Failure == ComponentFailure.ReadOnly && Config.Sentinel is not null) lease.Retire();
            return specific;
        }
        if (AuthenticationFailed || RedisErrorText.IsAuthenticationFailure(ex.Message))
        {
            return ComponentSession.AuthenticationFailed(Component, Config, ex);
        }
        if (RedisFaults.IsMissingDatabase(ex)) return ComponentSession.MissingDatabase(Component, Config, null, ex);
        if (RedisFaults.OutageReason(ex) is not { } reason) return null;
        // A connection known to be down fails at once (fail-fast); say so rather than quoting the client.
        return ComponentSession.Unreachable(Component, Config, Multiplexer.IsConnected ? reason : RedisFaults.DownReason, ex);
    }

    public override string ToString() => $"{Component} -> {Endpoint}";

    public void Dispose() => lease.Dispose();
}

/// <summary>What Get-RedisComponentConnection shows about a cached connection. Holds no secret.</summary>
public sealed class ComponentConnectionInfo
{
    public string Component { get; init; } = "";
    public string Endpoint { get; init; } = "";
    public int Database { get; init; }
    public bool IsConnected { get; init; }
    public DateTimeOffset ConfigReadAt { get; init; }
    public DateTimeOffset ConnectedAt { get; init; }
    public string ConfigServer { get; init; } = "";
    /// <summary>Standalone, Sentinel or Cluster (detected on connect).</summary>
    public string Deployment { get; init; } = "Standalone";
    /// <summary>True on a Redis Cluster.</summary>
    public bool IsCluster { get; init; }
    /// <summary>Nodes the client knows: 1 for a single server; primaries and replicas on a cluster.</summary>
    public int NodeCount { get; init; }

    public override string ToString() => $"{Component} -> {Endpoint}/{Database}";
}
