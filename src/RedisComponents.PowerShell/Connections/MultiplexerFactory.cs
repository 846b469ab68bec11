using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// The one connect step of the pool: a multiplexer from options (for Sentinel: through the sentinels, which
/// keep telling it where the primary is), plus what the connect log says about refused credentials or
/// handshake permissions. The log is read, never shown (it may name hosts the user did not ask to see).
/// </summary>
internal static class MultiplexerFactory
{
    private static readonly Regex NoPerm = new(@"NOPERM[^\r\n]*", RegexOptions.CultureInvariant);

    public static ConnectResult Connect(ConfigurationOptions options, ConfigurationOptions? sentinelOptions, bool namesCluster = false)
    {
        using var log = new StringWriter();
        ConnectionMultiplexer? sentinels = null;
        ConnectionMultiplexer mux;
        var cluster = namesCluster;
        try
        {
            if (sentinelOptions is null)
            {
                mux = ConnectionMultiplexer.Connect(options, log);
                if (!namesCluster && IsClusterNode(mux, options))
                {
                    // A host/port config that names one node of a cluster: connect again with CLUSTER allowed, so
                    // the client reads the slot map and discovers the other nodes. Standalone servers never get here.
                    mux.Dispose();
                    var clustered = options.Clone();
                    clustered.CommandMap = ConnectionDefaults.MapFor(!string.IsNullOrEmpty(options.ClientName), cluster: true);
                    clustered.ConfigCheckSeconds = ConnectionDefaults.ClusterConfigCheckSeconds;
                    mux = ConnectionMultiplexer.Connect(clustered, log);
                    cluster = true;
                }
            }
            else
            {
                sentinels = ConnectionMultiplexer.SentinelConnect(sentinelOptions, log);
                mux = sentinels.GetSentinelMasterConnection(options, log);
            }
        }
        catch
        {
            sentinels?.Dispose();
            throw;
        }
        ServerErrorLog.Attach(mux);
        var text = log.ToString();
        // A wrong password against a server whose 'default' user is nopass leaves the connection working as
        // 'default': redis-py raises WRONGPASS here, and so does the module (the pool refuses such a connection).
        var authFailed = RedisErrorText.IsAuthenticationFailure(text) || CredentialsRefused(mux, options);
        var noPerm = NoPerm.Match(text);
        var denied = noPerm.Success ? noPerm.Value.Trim() : cluster ? SlotMapDenied(mux) : null;
        return new ConnectResult(mux, sentinels, authFailed, denied, cluster);
    }

    /// <summary>
    /// Deployment detection without INFO or CLUSTER (a least-privilege user has neither): HELLO is answered to
    /// every authenticated user whatever its ACL, and its <c>mode</c> field says "cluster" on a cluster node.
    /// HELLO with the connection's own protocol changes nothing about the connection. A server without HELLO
    /// (before Redis 6) or one that is not reachable now counts as standalone.
    /// </summary>
    private static bool IsClusterNode(ConnectionMultiplexer mux, ConfigurationOptions options)
    {
        if (!mux.IsConnected) return false;
        try
        {
            var server = mux.GetServer(mux.GetEndPoints()[0]);
            var reply = server.Execute("HELLO", options.Protocol == RedisProtocol.Resp3 ? 3 : 2);
            return ModeOf(reply) == "cluster";
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// On a cluster the client reads the slot map with CLUSTER NODES; when no node came up as a cluster node that
    /// read failed, and without a slot map transactions on other nodes' keys cannot work. The NOPERM, if that is why.
    /// </summary>
    private static string? SlotMapDenied(ConnectionMultiplexer mux)
    {
        if (!mux.IsConnected || mux.GetServers().Any(s => s.IsConnected && s.ServerType == ServerType.Cluster)) return null;
        try
        {
            mux.GetServer(mux.GetEndPoints()[0]).Execute("CLUSTER", "NODES");
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return RedisErrorText.NoPermLine(ex.Message);
        }
    }

    private static string? ModeOf(RedisResult reply)
    {
        if (reply.Resp3Type == ResultType.Map || reply.Resp2Type == ResultType.Array)
        {
            var items = (RedisResult[])reply!;
            for (var i = 0; i + 1 < items.Length; i += 2)
            {
                if ((string?)items[i] == "mode") return (string?)items[i + 1];
            }
        }
        return null;
    }

    /// <summary>
    /// The client sends its handshake AUTH without waiting for the answer, and a server whose 'default' user is
    /// nopass then serves the connection as 'default'. One explicit AUTH per connected server (allowed to every
    /// user, whatever its ACL) says whether the configured credentials are accepted.
    /// </summary>
    private static bool CredentialsRefused(ConnectionMultiplexer mux, ConfigurationOptions options)
    {
        if (string.IsNullOrEmpty(options.Password) || !mux.IsConnected) return false;
        var args = string.IsNullOrEmpty(options.User) ? new object[] { options.Password } : new object[] { options.User, options.Password };
        foreach (var endpoint in mux.GetEndPoints())
        {
            var server = mux.GetServer(endpoint);
            if (!server.IsConnected) continue;
            try
            {
                server.Execute("AUTH", args);
            }
            catch (RedisServerException ex) when (RedisErrorText.IsAuthenticationFailure(ex.Message))
            {
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Not an answer about the credentials (the connection dropped): the connect's own verdict stands.
            }
        }
        return false;
    }
}

/// <summary>A new multiplexer, the sentinel connection it depends on (if any), and the verdicts of its connect log.</summary>
internal sealed record ConnectResult(ConnectionMultiplexer Multiplexer, IDisposable? Companion, bool AuthenticationFailed, string? HandshakeNoPerm, bool IsCluster);
