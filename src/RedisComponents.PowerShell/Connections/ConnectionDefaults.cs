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

    /// <summary>
    /// Commands the client must never send on its own: a least-privilege user (the book's data commands plus
    /// PING, see README "Connection management") has none of them. ECHO is the default heartbeat (PING is used
    /// instead), CLIENT SETNAME/SETINFO and INFO are handshake extras, SUBSCRIBE feeds the configuration channel,
    /// CONFIG and CLUSTER are probes of the server's shape.
    /// </summary>
    internal static readonly string[] ExcludedCommands = { "ECHO", "CLIENT", "INFO", "CONFIG", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "CLUSTER" };

    private static readonly CommandMap LeastPrivilege = Map(named: false, cluster: false);
    private static readonly CommandMap LeastPrivilegeNamed = Map(named: true, cluster: false);
    private static readonly CommandMap ClusterLeastPrivilege = Map(named: false, cluster: true);
    private static readonly CommandMap ClusterLeastPrivilegeNamed = Map(named: true, cluster: true);

    private static CommandMap Map(bool named, bool cluster) => CommandMap.Create(
        new System.Collections.Generic.HashSet<string>(System.Linq.Enumerable.Where(ExcludedCommands, c => !(named && c == "CLIENT") && !(cluster && c == "CLUSTER"))),
        available: false);

    /// <summary>
    /// The command map of a connection. On a cluster CLUSTER is allowed: the client reads the slot map with
    /// CLUSTER NODES (a cluster user needs <c>+cluster|nodes</c>, and <c>+asking</c> for slot migrations).
    /// </summary>
    internal static CommandMap MapFor(bool named, bool cluster) => (named, cluster) switch
    {
        (false, false) => LeastPrivilege,
        (true, false) => LeastPrivilegeNamed,
        (false, true) => ClusterLeastPrivilege,
        (true, true) => ClusterLeastPrivilegeNamed,
    };

    /// <summary>How often a cluster connection re-reads the slot map by itself (the client's default is 60 s).</summary>
    internal const int ClusterConfigCheckSeconds = 5;

    public static void Apply(ConfigurationOptions options, bool cluster = false)
    {
        ApplyCommon(options);
        // CLIENT SETNAME only when the config asks for a name (redis-py's client_name sends it too).
        options.CommandMap = MapFor(!string.IsNullOrEmpty(options.ClientName), cluster);
        if (cluster) options.ConfigCheckSeconds = ClusterConfigCheckSeconds;
        // No pub/sub configuration channel, no CLIENT SETINFO: each would need a permission the data user lacks.
        options.ConfigurationChannel = "";
        options.SetClientLibrary = false;
        // Without INFO the server version is not probed; ACL users and TLS exist from Redis 6 on.
        options.DefaultVersion = new Version(6, 0);
    }

    /// <summary>What every connection gets, the sentinels' included.</summary>
    public static void ApplyCommon(ConfigurationOptions options)
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
    }

    /// <summary>
    /// Pool identity of a set of options. Hashed so the key (which must include the password to tell
    /// two users apart) never sits in memory or a debugger view as plain text.
    /// </summary>
    public static string PoolKey(ConfigurationOptions options, string extra = "") => Hash(options.ToString(includePassword: true) + "\n" + extra);

    internal static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

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
