using System;
using RedisComponents.Configuration;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// The failures that need more than "unreachable": TLS refused, NOPERM, READONLY. Used by
/// <see cref="ComponentConnection.Classify"/> and by the session when a first connect fails, so every cmdlet
/// reports the same id for the same cause.
/// </summary>
internal static class ComponentFailures
{
    /// <summary>The specific failure an exception means, or null (then the caller's auth/unreachable rules apply).</summary>
    public static ComponentException? Classify(string component, RedisPyConfig config, Exception ex, IConnectionMultiplexer? multiplexer = null)
    {
        // MULTI refused to queue a command: the client says only EXECABORT; the server's reason is in the log.
        var message = ServerErrorLog.Explain(ex.Message, multiplexer);
        if (RedisErrorText.NoPermLine(message) is { } noPerm) return PermissionDenied(component, config, noPerm, ex);
        if (message.Contains("READONLY", StringComparison.Ordinal)) return ReadOnly(component, config, ex);
        if (ClusterFaults.IsCrossSlot(ex)) return CrossSlot(component, config, ex);
        // The client knows a replica (ROLE in its handshake) and refuses to send it a write at all.
        if (ex is RedisConnectionException && multiplexer is not null && OnlyReplicasConnected(multiplexer)) return ReadOnly(component, config, ex);
        if (ex is RedisConnectionException or RedisTimeoutException && TlsReason(config) is { } why) return TlsFailed(component, config, why, ex);
        return null;
    }

    private static bool OnlyReplicasConnected(IConnectionMultiplexer multiplexer)
    {
        try
        {
            // Connected or not: a write refused by the client tears the replica's link down, the role stays known.
            var servers = multiplexer.GetServers();
            return servers.Length > 0 && Array.TrueForAll(servers, s => s.IsReplica);
        }
        catch (Exception e) when (e is RedisException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Why a first connect left no connection: refused credentials, TLS, a handshake NOPERM, else unreachable.</summary>
    public static ComponentException ForFailedConnect(string component, RedisPyConfig config, MultiplexerLease lease)
    {
        if (lease.AuthenticationFailed) return ComponentSession.AuthenticationFailed(component, config, null);
        if (lease.HandshakeNoPerm is { } noPerm) return PermissionDenied(component, config, noPerm, null);
        if (TlsReason(config) is { } why) return TlsFailed(component, config, why, null);
        return ComponentSession.Unreachable(component, config, "no connection could be made within the connect timeout", null);
    }

    /// <summary>The TLS verdict of the last handshake with this config's server, when TLS is what failed.</summary>
    private static string? TlsReason(RedisPyConfig config)
    {
        if (config.Tls is not { } tls) return null;
        var outcome = TlsSettings.OutcomeFor(config.OutcomeKey);
        if (outcome?.Refusal is { } refusal) return refusal;
        if (outcome is { ServerAccepted: true })
        {
            // The server's certificate passed and the connection still failed: the server refused the client.
            return tls.HasClientCertificate
                ? "the server refused the client certificate of ssl_certfile/ssl_keyfile (not issued by a CA the server trusts?)"
                : "the server requires a client certificate (mutual TLS): set ssl_certfile and ssl_keyfile";
        }
        return null;
    }

    private static string KeyOf(string component) => ConfigStore.KeyFor(ConfigStore.RedisType, component);

    public static ComponentException TlsFailed(string component, RedisPyConfig config, string why, Exception? inner) =>
        new(ComponentFailure.TlsFailed, component, KeyOf(component), config.Endpoint,
            $"Component '{component}': the TLS connection to {config.Endpoint} failed: {why}. Fix the ssl_* keys of '{KeyOf(component)}' with Set-RedisComponentConfig.", inner);

    public static ComponentException PermissionDenied(string component, RedisPyConfig config, string noPerm, Exception? inner) =>
        new(ComponentFailure.PermissionDenied, component, KeyOf(component), config.Endpoint,
            $"Component '{component}': Redis at {config.Endpoint} denied a command to user '{config.Username ?? "default"}' ({noPerm}). " +
            "Grant it (README 'Connection management' lists the commands of each cmdlet), or configure a user that has it.", inner);

    public static ComponentException CrossSlot(string component, RedisPyConfig config, Exception? inner) =>
        new(ComponentFailure.ClusterCrossSlot, component, KeyOf(component), config.Endpoint,
            $"Component '{component}': the Redis Cluster at {config.Endpoint} refused one command over keys of different slots (CROSSSLOT). " +
            "The module's own commands keep their keys in one slot; if this persists, report it with the cmdlet and key names.", inner);

    public static ComponentException ReadOnly(string component, RedisPyConfig config, Exception? inner) =>
        new(ComponentFailure.ReadOnly, component, KeyOf(component), config.Endpoint,
            $"Component '{component}': Redis at {config.Endpoint} is a read-only replica and refused a write. " +
            $"Point '{KeyOf(component)}' at the primary, or use service_name + sentinels to follow it.", inner);
}
