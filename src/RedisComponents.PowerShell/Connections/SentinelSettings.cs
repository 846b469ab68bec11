using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// redis-py's <c>Sentinel(sentinels, sentinel_kwargs=...).master_for(service_name, **kwargs)</c> as config keys:
/// <c>service_name</c>, <c>sentinels</c> (<c>[["host", port], ...]</c>) and <c>sentinel_kwargs</c> (the sentinels'
/// own <c>username</c>/<c>password</c>/<c>ssl</c>...). The module asks the sentinels for the primary and follows it
/// across failovers.
/// </summary>
public sealed class SentinelSettings
{
    private static readonly HashSet<string> HarmlessKwargs = new(StringComparer.Ordinal)
    {
        "socket_timeout", "socket_connect_timeout", "socket_keepalive", "socket_keepalive_options", "decode_responses",
        "encoding", "encoding_errors", "retry_on_timeout", "health_check_interval", "client_name",
    };

    public string ServiceName { get; private init; } = "";
    public IReadOnlyList<(string Host, int Port)> Sentinels { get; private init; } = Array.Empty<(string, int)>();
    public string? Username { get; private init; }
    public string? Password { get; private init; }
    public bool Ssl { get; private init; }

    internal string Identity => $"{ServiceName}|{Describe()}|{Username}|{Ssl}|{(Password is null ? "" : ConnectionDefaults.Hash(Password))}";

    public string Describe() => string.Join(",", Sentinels.Select(s => $"{s.Host}:{s.Port.ToString(CultureInfo.InvariantCulture)}"));

    internal static SentinelSettings From(string? serviceName, JsonNode? sentinels, JsonNode? kwargs)
    {
        if (string.IsNullOrWhiteSpace(serviceName)) throw new FormatException("'service_name' must name the Sentinel-monitored primary (e.g. \"mymaster\")");
        const string shape = "'sentinels' must be a non-empty list of [\"host\", port] pairs, e.g. [[\"10.0.0.1\", 26379], [\"10.0.0.2\", 26379]]";
        if (sentinels is not JsonArray list || list.Count == 0) throw new FormatException(shape);
        var parsed = new List<(string, int)>();
        foreach (var item in list)
        {
            if (item is not JsonArray pair || pair.Count != 2) throw new FormatException(shape + $"; item {parsed.Count + 1} is not a pair");
            var host = pair[0] is JsonValue h && h.GetValueKind() == JsonValueKind.String ? h.GetValue<string>() : null;
            if (string.IsNullOrWhiteSpace(host)) throw new FormatException(shape + $"; item {parsed.Count + 1} has no host string");
            parsed.Add((host, RedisPyValues.ReadInt($"sentinels[{parsed.Count}] port", pair[1], 1, 65535)));
        }

        string? user = null, password = null;
        var ssl = false;
        if (kwargs is not null)
        {
            if (kwargs is not JsonObject o) throw new FormatException("'sentinel_kwargs' must be an object such as {\"password\": \"...\"}");
            foreach (var (key, value) in o)
            {
                switch (key)
                {
                    case "username": user = RedisPyValues.ReadString("sentinel_kwargs.username", value, allowNull: true); break;
                    case "password": password = RedisPyValues.ReadString("sentinel_kwargs.password", value, allowNull: true); break;
                    case "ssl": ssl = RedisPyValues.ReadBool("sentinel_kwargs.ssl", value); break;
                    default:
                        if (!HarmlessKwargs.Contains(key))
                        {
                            throw new FormatException($"'sentinel_kwargs' key '{key}' is not supported (supported: username, password, ssl, and socket/encoding options)");
                        }
                        break;
                }
            }
        }
        return new SentinelSettings { ServiceName = serviceName, Sentinels = parsed, Username = user, Password = password, Ssl = ssl };
    }

    /// <summary>Options for the connection to the sentinels (SENTINEL commands and the +switch-master channel only).</summary>
    internal ConfigurationOptions ToOptions(int connectTimeoutMs, int syncTimeoutMs)
    {
        var options = new ConfigurationOptions
        {
            ServiceName = ServiceName,
            User = Username,
            Password = Password,
            Ssl = Ssl,
            CommandMap = CommandMap.Sentinel,
            ConnectTimeout = connectTimeoutMs,
            SyncTimeout = syncTimeoutMs,
            AsyncTimeout = syncTimeoutMs,
        };
        foreach (var (host, port) in Sentinels) options.EndPoints.Add(host, port);
        ConnectionDefaults.ApplyCommon(options);
        return options;
    }
}
