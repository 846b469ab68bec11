using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// A component's connection settings as the book stores them: the JSON of redis-py <c>Redis(**kwargs)</c>
/// keyword arguments under <c>config:redis:NAME</c>. Maps them onto StackExchange.Redis options by
/// building the options object (a password may hold commas, so no config string is concatenated).
/// </summary>
public sealed class RedisPyConfig
{
    /// <summary>Timeout used when the config names none: redis-py would wait forever, we never do.</summary>
    public const double DefaultTimeoutSeconds = 5;

    // redis-py arguments that make sense for redis-py only and change nothing about where or how securely
    // the module connects; accepted silently.
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal)
    {
        "decode_responses", "encoding", "encoding_errors", "retry_on_timeout", "retry_on_error", "health_check_interval",
        "socket_keepalive", "socket_keepalive_options", "max_connections", "single_connection_client", "errors",
        "charset", "retry", "redis_connect_func", "credential_provider", "lib_name", "lib_version", "auto_close_connection_pool",
    };

    // Keys that would change WHERE the module connects (or what it trusts) and that it cannot honour:
    // refused, never warned about and replaced by a default.
    private static readonly Dictionary<string, string> RefusedKeys = new(StringComparer.Ordinal)
    {
        ["cluster"] = "'cluster' is not a redis-py keyword argument; name one cluster node with host/port (the module discovers the rest) or several with startup_nodes",
        ["read_from_replicas"] = "reading from replicas is not supported: the module reads and writes on the primaries (replica reads could miss the last write)",
        ["require_full_coverage"] = "the module always needs every slot served; remove the key",
        ["url"] = "a URL is not a redis-py keyword argument; store it with Set-RedisComponentConfig -ConnectionString 'redis://...', which maps it onto keys",
        ["connection_pool"] = "a connection pool cannot be stored as JSON; name host/port, unix_socket_path or a Sentinel service",
        ["address_remap"] = "address remapping is not supported; name the address the module should connect to",
        ["host_port_remap"] = "address remapping is not supported; name the address the module should connect to",
        ["connection_class"] = "a connection class cannot be stored as JSON; use ssl/unix_socket_path keys",
        ["ssl_validate_ocsp"] = "OCSP validation is not supported by this module; remove the key rather than have it silently not checked",
        ["ssl_validate_ocsp_stapled"] = "OCSP validation is not supported by this module; remove the key rather than have it silently not checked",
        ["ssl_ocsp_context"] = "OCSP validation is not supported by this module",
        ["ssl_ocsp_expected_cert"] = "OCSP validation is not supported by this module",
    };

    public string Host { get; private init; } = "localhost";
    public int Port { get; private init; } = 6379;
    public int Db { get; private init; }
    public string? Username { get; private init; }
    public string? Password { get; private init; }
    public bool Ssl { get; private init; }
    public double SocketTimeout { get; private init; } = DefaultTimeoutSeconds;
    public double SocketConnectTimeout { get; private init; } = DefaultTimeoutSeconds;
    public string? ClientName { get; private init; }
    /// <summary>redis-py <c>unix_socket_path</c>: a unix domain socket instead of host/port.</summary>
    public string? UnixSocketPath { get; private init; }
    /// <summary>redis-py 5 <c>protocol</c>: 2 (RESP2, the default) or 3 (RESP3).</summary>
    public int Protocol { get; private init; } = 2;
    /// <summary>TLS settings (CA, client certificate, checks); null without <c>ssl</c>.</summary>
    public TlsSettings? Tls { get; private init; }
    /// <summary>Sentinel service; null for a single server.</summary>
    public SentinelSettings? Sentinel { get; private init; }
    /// <summary>redis-py <c>RedisCluster(startup_nodes=[{"host": ..., "port": ...}, ...])</c>: seeds of a cluster; empty otherwise.</summary>
    public IReadOnlyList<(string Host, int Port)> StartupNodes { get; private init; } = Array.Empty<(string, int)>();

    /// <summary>True when the config itself says it names a cluster (startup_nodes); host/port configs are detected on connect.</summary>
    public bool NamesCluster => StartupNodes.Count > 0;

    /// <summary>Keys that neither we nor redis-py know: worth a warning, not a failure.</summary>
    public IReadOnlyList<string> UnknownKeys { get; private init; } = Array.Empty<string>();

    /// <summary>False when ssl_cert_reqs is "none" (kept for callers of the old shape).</summary>
    public bool SslVerifyCertificate => Tls?.CertReqs != TlsCertReqs.None;

    public override string ToString() => Db == 0 ? Endpoint : $"{Endpoint}/{Db}";

    /// <summary>Where the config connects, for messages and views; never carries a password.</summary>
    public string Endpoint =>
        Sentinel is { } s ? $"sentinel service '{s.ServiceName}' via {s.Describe()}"
        : StartupNodes.Count > 0 ? "cluster via " + string.Join(",", StartupNodes.Select(n => $"{n.Host}:{n.Port.ToString(CultureInfo.InvariantCulture)}"))
        : UnixSocketPath is { } path ? "unix:" + path
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses and validates the JSON text; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static RedisPyConfig Parse(string json)
    {
        if (ParseJson(json) is not JsonObject obj)
        {
            throw new FormatException("the value is JSON but not an object of redis-py connection arguments (expected {\"host\": ..., \"port\": ...})");
        }
        return FromObject(obj);
    }

    /// <summary>
    /// JSON text as a node, with Python's <c>json.loads</c> rule for duplicate keys: the last one wins
    /// (System.Text.Json's JsonObject would refuse them). Throws <see cref="FormatException"/> on text that is not JSON.
    /// </summary>
    public static JsonNode? ParseJson(string json) => RedisPyValues.ParseLastWins(json);

    public static RedisPyConfig FromObject(JsonObject obj)
    {
        var unknown = new List<string>();
        string host = "localhost";
        string? user = null, password = null, clientName = null, unixPath = null;
        int port = 6379, db = 0, protocol = 2;
        bool ssl = false;
        double timeout = DefaultTimeoutSeconds, connectTimeout = DefaultTimeoutSeconds;
        var tls = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        JsonNode? sentinels = null, sentinelKwargs = null, startupNodes = null;
        string? serviceName = null;

        foreach (var (key, value) in obj)
        {
            if (RefusedKeys.TryGetValue(key, out var why)) throw new FormatException($"'{key}' cannot be honoured: {why}");
            switch (key)
            {
                case "host": host = RedisPyValues.ReadString(key, value, allowNull: false)!; break;
                case "port": port = RedisPyValues.ReadInt(key, value, 1, 65535); break;
                case "db": db = RedisPyValues.ReadInt(key, value, 0, int.MaxValue); break;
                case "username": user = RedisPyValues.ReadString(key, value, allowNull: true); break;
                case "password": password = RedisPyValues.ReadString(key, value, allowNull: true); break;
                case "ssl": ssl = RedisPyValues.ReadBool(key, value); break;
                case "socket_timeout": timeout = RedisPyValues.ReadSeconds(key, value, DefaultTimeoutSeconds); break;
                case "socket_connect_timeout": connectTimeout = RedisPyValues.ReadSeconds(key, value, DefaultTimeoutSeconds); break;
                case "client_name": clientName = RedisPyValues.ReadString(key, value, allowNull: true); break;
                case "unix_socket_path": unixPath = RedisPyValues.ReadString(key, value, allowNull: true); break;
                case "protocol": protocol = RedisPyValues.ReadProtocol(value); break;
                case "service_name": serviceName = RedisPyValues.ReadString(key, value, allowNull: true); break;
                case "sentinels": sentinels = value; break;
                case "sentinel_kwargs": sentinelKwargs = value; break;
                case "startup_nodes": startupNodes = value; break;
                default:
                    if (TlsSettings.Keys.Contains(key)) tls[key] = value;
                    else if (!IgnoredKeys.Contains(key)) unknown.Add(key);
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(host)) throw new FormatException("'host' must be a non-empty string");
        if (unixPath is not null && unixPath.Length == 0) throw new FormatException("'unix_socket_path' must be a socket path, not empty");
        if (unixPath is not null && !Socket.OSSupportsUnixDomainSockets) throw new FormatException("'unix_socket_path' needs unix domain sockets, which this system does not support");
        if (unixPath is not null && ssl) throw new FormatException("'unix_socket_path' and 'ssl' cannot be combined (redis-py ignores ssl on a unix socket; remove one)");
        if ((serviceName is null) != (sentinels is null))
        {
            throw new FormatException("a Sentinel config needs both 'service_name' (the monitored primary's name) and 'sentinels' ([[\"host\", port], ...])");
        }
        if (serviceName is not null && unixPath is not null) throw new FormatException("'unix_socket_path' and 'service_name' cannot be combined: Sentinel names the primary's address");
        if (serviceName is null && sentinelKwargs is not null) throw new FormatException("'sentinel_kwargs' needs 'service_name' and 'sentinels'");
        var nodes = startupNodes is null ? Array.Empty<(string, int)>() : ReadStartupNodes(startupNodes);
        if (nodes.Count > 0 && serviceName is not null) throw new FormatException("'startup_nodes' (a cluster) and 'service_name' (a Sentinel service) cannot be combined; keep one");
        if (nodes.Count > 0 && unixPath is not null) throw new FormatException("'startup_nodes' (a cluster) and 'unix_socket_path' cannot be combined: cluster nodes are reached over TCP");
        if (nodes.Count > 0 && db != 0) throw new FormatException(ClusterDbMessage(db));
        if (!ssl && tls.Count > 0)
        {
            // redis-py ignores ssl_* without ssl=True; a CA or client certificate written without it is almost
            // always a forgotten "ssl": true, and connecting in plain text would be the silent wrong thing.
            throw new FormatException($"{string.Join(", ", tls.Keys.Select(k => $"'{k}'"))} need \"ssl\": true (without it the connection is plain text)");
        }

        return new RedisPyConfig
        {
            Host = host,
            Port = port,
            Db = db,
            Username = user,
            Password = password,
            Ssl = ssl,
            SocketTimeout = timeout,
            SocketConnectTimeout = connectTimeout,
            ClientName = clientName,
            UnixSocketPath = unixPath,
            Protocol = protocol,
            Tls = ssl ? TlsSettings.From(tls) : null,
            Sentinel = serviceName is null ? null : SentinelSettings.From(serviceName, sentinels, sentinelKwargs),
            StartupNodes = nodes,
            UnknownKeys = unknown,
        };
    }

    /// <summary>The StackExchange.Redis options for this component (for Sentinel: the primary's options).</summary>
    public ConfigurationOptions ToOptions()
    {
        var options = new ConfigurationOptions
        {
            DefaultDatabase = Db,
            User = Username,
            Password = Password,
            Ssl = Ssl,
            ClientName = ClientName,
            ConnectTimeout = ToMilliseconds(SocketConnectTimeout),
            SyncTimeout = ToMilliseconds(SocketTimeout),
            AsyncTimeout = ToMilliseconds(SocketTimeout),
            Protocol = Protocol == 3 ? RedisProtocol.Resp3 : RedisProtocol.Resp2,
        };
        if (Sentinel is { } sentinel) options.ServiceName = sentinel.ServiceName;
        else if (StartupNodes.Count > 0)
        {
            foreach (var (host, port) in StartupNodes) options.EndPoints.Add(host, port);
        }
        else if (UnixSocketPath is { } path) options.EndPoints.Add(new UnixDomainSocketEndPoint(path));
        else options.EndPoints.Add(Host, Port);
        Tls?.ApplyTo(options, OutcomeKey);
        ConnectionDefaults.Apply(options, cluster: NamesCluster);
        return options;
    }

    /// <summary>Why a cluster config cannot name a db (also used when a host/port config turns out to be a cluster node).</summary>
    internal static string ClusterDbMessage(int db) =>
        $"'db' is {db.ToString(CultureInfo.InvariantCulture)} but a Redis Cluster has only database 0; remove 'db' (or set it to 0) and keep components apart by their names";

    private static IReadOnlyList<(string, int)> ReadStartupNodes(JsonNode value)
    {
        const string shape = "'startup_nodes' must be a non-empty list of {\"host\": ..., \"port\": ...} objects (redis-py RedisCluster's argument), e.g. [{\"host\": \"10.0.0.1\", \"port\": 7000}]";
        if (value is not JsonArray list || list.Count == 0) throw new FormatException(shape);
        var nodes = new List<(string, int)>();
        foreach (var item in list)
        {
            var n = nodes.Count + 1;
            if (item is not JsonObject node) throw new FormatException(shape + $"; item {n} is not an object");
            string? host = null;
            var port = 6379;
            foreach (var (key, v) in node)
            {
                switch (key)
                {
                    case "host": host = RedisPyValues.ReadString($"startup_nodes[{n - 1}].host", v, allowNull: false); break;
                    case "port": port = RedisPyValues.ReadInt($"startup_nodes[{n - 1}].port", v, 1, 65535); break;
                    default: throw new FormatException(shape + $"; item {n} has key '{key}' (only host and port are allowed)");
                }
            }
            if (string.IsNullOrWhiteSpace(host)) throw new FormatException(shape + $"; item {n} has no host");
            nodes.Add((host, port));
        }
        return nodes;
    }

    /// <summary>The options of the sentinels themselves (null for a single server).</summary>
    public ConfigurationOptions? ToSentinelOptions() => Sentinel?.ToOptions(ToMilliseconds(SocketConnectTimeout), ToMilliseconds(SocketTimeout));

    /// <summary>Where the TLS checks of this config record why they refused a server (shared by equal configs).</summary>
    internal string OutcomeKey => Endpoint + "|" + (Tls?.Identity ?? "");

    /// <summary>
    /// Identity of the connection for pooling: equal settings share one multiplexer. The db is left out:
    /// a multiplexer serves every database (commands pick theirs), so components on one server share it.
    /// </summary>
    internal string PoolKey
    {
        get
        {
            var options = ToOptions();
            options.DefaultDatabase = null;
            var extra = (Tls?.Identity ?? "") + "|" + (Sentinel?.Identity ?? "") + "|" + (UnixSocketPath ?? "") + "|" + (NamesCluster ? "cluster" : "");
            return ConnectionDefaults.PoolKey(options, extra);
        }
    }

    internal static int ToMilliseconds(double seconds) => (int)Math.Clamp(Math.Ceiling(seconds * 1000), 1, int.MaxValue);
}
