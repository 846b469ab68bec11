using System;
using System.Collections.Generic;
using RedisComponents.Configuration;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// One resolution of a component, run on the thread pool by <see cref="ComponentResolver"/>: GET the config,
/// parse it, connect (or reuse the pooled multiplexer), check the db exists, publish. Every failure leaves
/// as a classified <see cref="ComponentException"/>.
/// </summary>
internal sealed class ConfigRead(ComponentResolver resolver, string component, ConfigServer server)
{
    private readonly string key = ConfigStore.KeyFor(ConfigStore.RedisType, component);

    public ComponentResolver.Resolution Run(ComponentResolver.Slot slot, long gen)
    {
        var text = ReadConfig(slot, gen);
        if (resolver.Unchanged(slot, text) is { } same) return new(same, Array.Empty<string>());

        RedisPyConfig config;
        try
        {
            config = RedisPyConfig.Parse(text);
        }
        catch (FormatException ex)
        {
            resolver.Forget(slot, gen);
            throw Invalid($"is invalid: {ex.Message}", ex);
        }
        var warnings = new List<string>();
        if (config.UnknownKeys.Count > 0)
        {
            warnings.Add($"The config of component '{component}' (key '{key}') has keys this module does not use: {string.Join(", ", config.UnknownKeys)}.");
        }

        MultiplexerLease lease;
        try
        {
            lease = MultiplexerPool.Shared.Acquire(config.ToOptions(), config.PoolKey, config.ToSentinelOptions(), config.NamesCluster);
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException or System.Net.Sockets.SocketException)
        {
            throw ComponentSession.Unreachable(component, config, RedisErrorText.Short(ex.Message), ex);
        }

        ComponentException? failure = null;
        if (!lease.Multiplexer.IsConnected)
        {
            // Published anyway: its multiplexer keeps reconnecting, so a later call recovers by itself.
            if (lease.CreatedConnection)
            {
                failure = ComponentFailures.ForFailedConnect(component, config, lease);
            }
        }
        else if (lease.IsCluster)
        {
            if (lease.HandshakeNoPerm is { } noPerm)
            {
                // Without CLUSTER NODES the client has no slot map: transactions on keys of other nodes would fail.
                lease.Dispose();
                resolver.Forget(slot, gen);
                throw ComponentFailures.PermissionDenied(component, config, noPerm, null);
            }
            if (config.Db != 0)
            {
                // A host/port config naming a cluster node: the client would run every command in db 0.
                lease.Dispose();
                resolver.Forget(slot, gen);
                throw Invalid("names a Redis Cluster node: " + RedisPyConfig.ClusterDbMessage(config.Db), null);
            }
        }
        else if (DatabaseCount(lease) is { } databases ? config.Db >= databases : LacksDatabase(lease, config))
        {
            lease.Dispose();
            resolver.Forget(slot, gen);
            throw ComponentSession.MissingDatabase(component, config, DatabaseCount(lease), null);
        }

        var fresh = new ComponentResolver.Cached(component, text, config, lease);
        if (!resolver.Publish(slot, fresh, gen))
        {
            lease.Dispose();
            throw ComponentResolver.ConfigServerFailure(component, server, "the session switched config servers while this component was being resolved; run the command again", null);
        }
        if (failure is not null) throw failure;
        return new(fresh, warnings);
    }

    private string ReadConfig(ComponentResolver.Slot slot, long gen)
    {
        RedisValue json;
        try
        {
            var read = server.ReadKeyAsync(key);
            // The client bounds the GET by its timeout; this bound only guards against a lost completion.
            if (!read.Wait(server.TimeoutMilliseconds + 1000)) throw new TimeoutException("the config read did not complete");
            json = read.Result;
        }
        catch (Exception ex) when (RedisFaults.IsWrongType(ex))
        {
            resolver.Forget(slot, gen);
            throw Invalid("is not a string: the key holds another Redis type (the config must be a JSON string set with SET)", RedisFaults.Unwrap(ex));
        }
        catch (ObjectDisposedException ex)
        {
            throw ComponentResolver.ConfigServerFailure(component, server, "the session switched config servers while reading", ex);
        }
        catch (Exception ex) when (RedisFaults.OutageReason(ex) is { } reason)
        {
            resolver.NoteConfigServerDown(server, reason);
            throw ComponentResolver.ConfigServerFailure(component, server, reason, RedisFaults.Unwrap(ex));
        }
        catch (Exception ex) when (RedisFaults.Unwrap(ex) is RedisException inner)
        {
            resolver.NoteConfigServerDown(server, RedisErrorText.Short(inner.Message));
            throw ComponentResolver.ConfigServerFailure(component, server, $"it refused the read: {RedisErrorText.Short(inner.Message)}", inner);
        }
        resolver.NoteConfigServerUp(server);

        if (json.IsNull)
        {
            resolver.Forget(slot, gen);
            throw new ComponentException(ComponentFailure.ConfigNotFound, component, key, server.Display,
                $"Component '{component}' has no config: key '{key}' does not exist on config server {server.Display}. " +
                $"Create it with Set-RedisComponentConfig -Component '{component}' -ConnectionString 'host:port', or check the name with Get-RedisComponentConfig.");
        }
        return (string)json!;
    }

    /// <summary>
    /// When the server's <c>databases</c> cannot be read (CONFIG is left out of the command map for least
    /// privilege), an explicit SELECT tells: the client ignores a refused SELECT of its own and would run the
    /// commands in db 0. A SELECT refused for another reason (NOPERM) is that failure.
    /// </summary>
    private bool LacksDatabase(MultiplexerLease lease, RedisPyConfig config)
    {
        if (config.Db == 0) return false;
        try
        {
            lease.Multiplexer.GetDatabase(config.Db).Execute("SELECT", config.Db);
            return false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (RedisFaults.IsMissingDatabase(ex)) return true;
            if (ComponentFailures.Classify(component, config, ex) is { } failure) throw failure;
            return false;
        }
    }

    private static int? DatabaseCount(MultiplexerLease lease)
    {
        try
        {
            var mux = lease.Multiplexer;
            var count = mux.GetServer(mux.GetEndPoints()[0]).DatabaseCount;
            return count > 0 ? count : null;
        }
        catch (Exception ex) when (ex is RedisException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private ComponentException Invalid(string what, Exception? inner) =>
        new(ComponentFailure.ConfigInvalid, component, key, server.Display,
            $"The config of component '{component}' (key '{key}' on config server {server.Display}) {what}. Rewrite it with Set-RedisComponentConfig.", inner);
}
