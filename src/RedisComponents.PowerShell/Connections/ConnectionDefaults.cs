using System;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>Settings every connection of the module gets, whatever its source.</summary>
internal static class ConnectionDefaults
{
    /// <summary>CLIENT SETNAME of our connections, so an operator (and the tests) can tell them apart in CLIENT LIST.</summary>
    public const string ClientName = "RedisComponents";

    public static void Apply(ConfigurationOptions options)
    {
        // Keep the multiplexer when the server is down at connect time: it reconnects in the background,
        // so a server that comes back needs no re-import and no Disconnect.
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 1;
        // Try to reconnect every second rather than backing off exponentially: an ops tool wants a
        // restarted server back at once.
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.IncludeDetailInExceptions = true;
        // No tie-breaker GET on connect: configs name one server, and a stray GET would be a command the
        // operator did not ask for (and would skew INFO commandstats).
        options.TieBreaker = "";
        options.ClientName ??= ClientName;
    }

    /// <summary>
    /// Pool identity of a set of options. Hashed so the key (which must include the password to tell
    /// two users apart) never sits in memory or a debugger view as plain text.
    /// </summary>
    public static string PoolKey(ConfigurationOptions options)
    {
        var text = options.ToString(includePassword: true);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Endpoints as "host:port[,host:port]" for messages; options.ToString(false) would also work but is noisier.</summary>
    public static string Describe(ConfigurationOptions options)
    {
        var sb = new StringBuilder();
        foreach (var ep in options.EndPoints)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(Format(ep));
        }
        return sb.Length == 0 ? "(no endpoint)" : sb.ToString();
    }

    public static string Format(System.Net.EndPoint? ep) => ep switch
    {
        System.Net.DnsEndPoint d => $"{d.Host}:{d.Port}",
        System.Net.IPEndPoint i => i.ToString(),
        null => "(none)",
        _ => ep.ToString() ?? "(unknown)",
    };
}
