using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
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

    // redis-py arguments that make sense for redis-py only; accepted silently.
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal)
    {
        "decode_responses", "encoding", "encoding_errors", "retry_on_timeout", "retry_on_error", "health_check_interval",
        "socket_keepalive", "socket_keepalive_options", "max_connections", "single_connection_client", "errors",
        "charset", "ssl_check_hostname", "ssl_keyfile", "ssl_certfile", "ssl_ca_certs", "ssl_ca_path",
    };

    public string Host { get; private init; } = "localhost";
    public int Port { get; private init; } = 6379;
    public int Db { get; private init; }
    public string? Username { get; private init; }
    public string? Password { get; private init; }
    public bool Ssl { get; private init; }
    public bool SslVerifyCertificate { get; private init; } = true;
    public double SocketTimeout { get; private init; } = DefaultTimeoutSeconds;
    public double SocketConnectTimeout { get; private init; } = DefaultTimeoutSeconds;
    public string? ClientName { get; private init; }

    /// <summary>Keys that neither we nor redis-py know: worth a warning, not a failure.</summary>
    public IReadOnlyList<string> UnknownKeys { get; private init; } = Array.Empty<string>();

    public override string ToString() => Db == 0 ? Endpoint : $"{Endpoint}/{Db}";

    /// <summary>"host:port" for messages and views; never carries a password.</summary>
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses and validates the JSON text; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static RedisPyConfig Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the value is not JSON ({ex.Message})", ex);
        }
        if (node is not JsonObject obj)
        {
            throw new FormatException("the value is JSON but not an object of redis-py connection arguments (expected {\"host\": ..., \"port\": ...})");
        }
        return FromObject(obj);
    }

    public static RedisPyConfig FromObject(JsonObject obj)
    {
        var unknown = new List<string>();
        string host = "localhost";
        string? user = null, password = null, certReqs = null, clientName = null;
        int port = 6379, db = 0;
        bool ssl = false;
        double timeout = DefaultTimeoutSeconds, connectTimeout = DefaultTimeoutSeconds;

        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "host": host = ReadString(key, value, allowNull: false)!; break;
                case "port": port = ReadInt(key, value, 1, 65535); break;
                case "db": db = ReadInt(key, value, 0, int.MaxValue); break;
                case "username": user = ReadString(key, value, allowNull: true); break;
                case "password": password = ReadString(key, value, allowNull: true); break;
                case "ssl": ssl = ReadBool(key, value); break;
                case "ssl_cert_reqs": certReqs = ReadString(key, value, allowNull: true); break;
                case "socket_timeout": timeout = ReadSeconds(key, value); break;
                case "socket_connect_timeout": connectTimeout = ReadSeconds(key, value); break;
                case "client_name": clientName = ReadString(key, value, allowNull: true); break;
                default:
                    if (!IgnoredKeys.Contains(key)) unknown.Add(key);
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(host)) throw new FormatException("'host' must be a non-empty string");

        return new RedisPyConfig
        {
            Host = host,
            Port = port,
            Db = db,
            Username = user,
            Password = password,
            Ssl = ssl,
            SslVerifyCertificate = !string.Equals(certReqs, "none", StringComparison.OrdinalIgnoreCase),
            SocketTimeout = timeout,
            SocketConnectTimeout = connectTimeout,
            ClientName = clientName,
            UnknownKeys = unknown,
        };
    }

    /// <summary>The StackExchange.Redis options for this component.</summary>
    public ConfigurationOptions ToOptions()
    {
        var options = new ConfigurationOptions
        {
            DefaultDatabase = Db,
            User = Username,
            Password = Password,
            Ssl = Ssl,
            ClientName = ClientName ?? ConnectionDefaults.ClientName,
            ConnectTimeout = ToMilliseconds(SocketConnectTimeout),
            SyncTimeout = ToMilliseconds(SocketTimeout),
            AsyncTimeout = ToMilliseconds(SocketTimeout),
        };
        options.EndPoints.Add(Host, Port);
        if (Ssl && !SslVerifyCertificate)
        {
            // redis-py's ssl_cert_reqs="none": the operator asked for no certificate check.
            options.CertificateValidation += (_, _, _, _) => true;
        }
        ConnectionDefaults.Apply(options);
        return options;
    }

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
            return ConnectionDefaults.PoolKey(options) + (SslVerifyCertificate ? "" : "|nocertcheck");
        }
    }

    private static int ToMilliseconds(double seconds) => (int)Math.Clamp(Math.Ceiling(seconds * 1000), 1, int.MaxValue);

    private static string? ReadString(string key, JsonNode? value, bool allowNull)
    {
        if (value is null && allowNull) return null;
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw new FormatException($"'{key}' must be a string{(allowNull ? " or null" : "")}, not {Describe(value)}");
    }

    private static int ReadInt(string key, JsonNode? value, int min, int max)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l))
        {
            if (l < min || l > max) throw new FormatException($"'{key}' must be between {min} and {max}, not {l}");
            return (int)l;
        }
        throw new FormatException($"'{key}' must be a whole number, not {Describe(value)}");
    }

    private static bool ReadBool(string key, JsonNode? value)
    {
        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new FormatException($"'{key}' must be true or false, not {Describe(value)}");
    }

    private static double ReadSeconds(string key, JsonNode? value)
    {
        if (value is null) return DefaultTimeoutSeconds; // redis-py's None: "no timeout"; we bound it anyway.
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            // A value built from a PowerShell int is long-backed: GetValue<double> would throw on it.
            var d = v.TryGetValue<double>(out var real) ? real : v.GetValue<long>();
            if (d > 0 && d <= 3600) return d;
            throw new FormatException($"'{key}' must be a number of seconds above 0 and at most 3600, not {d.ToString(CultureInfo.InvariantCulture)}");
        }
        throw new FormatException($"'{key}' must be a number of seconds or null, not {Describe(value)}");
    }

    private static string Describe(JsonNode? value) => value is null ? "null" : $"{value.GetValueKind().ToString().ToLowerInvariant()} {value.ToJsonString()}";
}
