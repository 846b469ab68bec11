using System;
using System.IO;
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

    public static ConnectResult Connect(ConfigurationOptions options, ConfigurationOptions? sentinelOptions)
    {
        using var log = new StringWriter();
        ConnectionMultiplexer? sentinels = null;
        ConnectionMultiplexer mux;
        try
        {
            if (sentinelOptions is null)
            {
                mux = ConnectionMultiplexer.Connect(options, log);
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
        return new ConnectResult(mux, sentinels, authFailed, noPerm.Success ? noPerm.Value.Trim() : null);
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
internal sealed record ConnectResult(ConnectionMultiplexer Multiplexer, IDisposable? Companion, bool AuthenticationFailed, string? HandshakeNoPerm);
