using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// Reads the two ways people write a Redis address: a StackExchange.Redis configuration string
/// (<c>host:port,password=...,ssl=true</c>, parsed by the library) or a URL (<c>redis://</c>, <c>rediss://</c>,
/// <c>unix://</c>, <c>redis+unix://</c>, parsed by <see cref="Uri"/>), and maps every option they carry onto the
/// book's redis-py keyword arguments, refusing those it cannot store. Several hosts in a configuration string are a
/// Sentinel's when it gives <c>serviceName=</c> (<c>sentinels</c>), otherwise a Redis Cluster's seeds (<c>startup_nodes</c>). Error messages never quote the text:
/// it may hold a password, and a password with a comma would otherwise leak its tail as a "keyword" or "host".
/// </summary>
public static class ConnectionStrings
{
    private const string CommaHint = "If a password holds a comma, pass it with -Credential, as %2C in a redis:// URL, or in -Config.";

    // StackExchange.Redis options with no effect on where or how securely the module connects; not stored.
    private static readonly HashSet<string> HarmlessOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "abortConnect", "allowAdmin", "connectRetry", "keepAlive", "configCheckSeconds", "tiebreaker", "configChannel",
        "version", "resolveDns", "responseTimeout", "highPrioritySocketThreads", "setlib", "checkCertificateRevocation",
        "sslProtocols", "heartbeatInterval",
    };

    private static readonly Dictionary<string, string> RefusedOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslHost"] = "redis-py has no argument for another certificate name; connect by a host name the certificate carries (or set ssl_check_hostname false in -Config)",
        ["proxy"] = "a proxy (twemproxy/envoy) is not supported",
        ["tunnel"] = "an HTTP tunnel is not supported",
    };

    // URL query arguments redis-py's from_url understands, with their types.
    private static readonly Dictionary<string, char> UrlArguments = new(StringComparer.Ordinal)
    {
        ["db"] = 'i', ["protocol"] = 'i', ["socket_timeout"] = 'f', ["socket_connect_timeout"] = 'f', ["health_check_interval"] = 'f',
        ["client_name"] = 's', ["username"] = 's', ["password"] = 's', ["ssl_cert_reqs"] = 's', ["ssl_ca_certs"] = 's',
        ["ssl_ca_path"] = 's', ["ssl_ca_data"] = 's', ["ssl_certfile"] = 's', ["ssl_keyfile"] = 's', ["ssl_password"] = 's',
        ["ssl_check_hostname"] = 'b', ["retry_on_timeout"] = 'b', ["decode_responses"] = 'b', ["max_connections"] = 'i',
        ["socket_keepalive"] = 'b',
    };

    public static bool IsUrl(string text) =>
        new[] { "redis://", "rediss://", "unix://", "redis+unix://" }.Any(p => text.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Options for a configuration string or URL; throws <see cref="FormatException"/> naming the problem (never the text).</summary>
    public static ConfigurationOptions Parse(string text) => ToConfig(text).ToOptions();

    /// <summary>The string or URL as a checked <see cref="RedisPyConfig"/> (TLS files loaded, sentinels read).</summary>
    public static RedisPyConfig ToConfig(string text, NetworkCredential? credential = null) =>
        RedisPyConfig.FromObject((System.Text.Json.Nodes.JsonObject)Infrastructure.PythonJson.ToNode(ToRedisPyArguments(text, credential))!);

    /// <summary>
    /// The book's JSON dict (redis-py keyword arguments) for a connection string or URL: every option it carries,
    /// by redis-py's name. A <paramref name="credential"/> replaces the username/password of the text.
    /// </summary>
    public static OrderedDictionary ToRedisPyArguments(string text, NetworkCredential? credential = null)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("the connection string is empty");
        var dict = IsUrl(text) ? FromUrl(text) : FromConfigString(text);
        if (credential is not null)
        {
            dict.Remove("username");
            dict.Remove("password");
            if (!string.IsNullOrEmpty(credential.UserName)) dict["username"] = credential.UserName;
            dict["password"] = credential.Password;
        }
        return dict;
    }

    private static OrderedDictionary FromConfigString(string text)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(text, ignoreUnknown: false);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The library's message quotes the offending token, which may be the tail of a password: not repeated.
            throw new FormatException("not a valid StackExchange.Redis configuration string ('host:port,option=value,...'): it has an option that is not recognised or a value that is not valid. " + CommaHint);
        }
        var keys = text.Split(',').Select(t => t.Split('=', 2)).Where(kv => kv.Length == 2).Select(kv => kv[0].Trim()).ToList();
        foreach (var key in keys)
        {
            if (RefusedOptions.TryGetValue(key, out var why)) throw new FormatException($"option '{key}' cannot be stored in a component config: {why}");
        }
        var endpoints = options.EndPoints.Select(ToHostPort).ToList();
        if (endpoints.Count == 0) throw new FormatException("the connection string names no host");
        RefuseHostAfterPassword(text);
        var dict = new OrderedDictionary();
        if (!string.IsNullOrEmpty(options.ServiceName))
        {
            dict["service_name"] = options.ServiceName;
            dict["sentinels"] = endpoints.Select(e => new object[] { e.Host, e.Port == 0 ? 26379 : e.Port }).ToList();
        }
        else if (endpoints.Count > 1)
        {
            // Several servers without serviceName=: the seeds of a Redis Cluster, as redis-py RedisCluster's startup_nodes.
            if (endpoints.Any(e => e.Unix is not null)) throw new FormatException("several endpoints name the nodes of a Redis Cluster, which are reached over TCP: a unix socket cannot be one of them");
            dict["startup_nodes"] = endpoints.Select(e => new OrderedDictionary { ["host"] = e.Host, ["port"] = e.Port == 0 ? (options.Ssl ? 6380 : 6379) : e.Port }).ToList();
        }
        else if (endpoints[0].Unix is { } path)
        {
            dict["unix_socket_path"] = path;
        }
        else
        {
            dict["host"] = endpoints[0].Host;
            dict["port"] = endpoints[0].Port == 0 ? (options.Ssl ? 6380 : 6379) : endpoints[0].Port;
        }
        // redis-py RedisCluster refuses a db argument: written for a cluster only when the string gives one (then refused when not 0).
        if (!dict.Contains("startup_nodes") || options.DefaultDatabase is not null) dict["db"] = options.DefaultDatabase ?? 0;
        if (!string.IsNullOrEmpty(options.User)) dict["username"] = options.User;
        if (!string.IsNullOrEmpty(options.Password)) dict["password"] = options.Password;
        if (options.Ssl) dict["ssl"] = true;
        if (dict.Contains("service_name") && (dict.Contains("password") || options.Ssl))
        {
            // StackExchange.Redis sends one set of credentials (and TLS) to the sentinels and the primary alike.
            var kwargs = new OrderedDictionary();
            if (dict.Contains("username")) kwargs["username"] = dict["username"];
            if (dict.Contains("password")) kwargs["password"] = dict["password"];
            if (options.Ssl) kwargs["ssl"] = true;
            dict["sentinel_kwargs"] = kwargs;
        }
        bool Has(string k) => keys.Contains(k, StringComparer.OrdinalIgnoreCase);
        if (Has("syncTimeout")) dict["socket_timeout"] = options.SyncTimeout / 1000.0;
        else if (Has("asyncTimeout")) dict["socket_timeout"] = options.AsyncTimeout / 1000.0;
        if (Has("connectTimeout")) dict["socket_connect_timeout"] = options.ConnectTimeout / 1000.0;
        if (!string.IsNullOrEmpty(options.ClientName)) dict["client_name"] = options.ClientName;
        if (Has("protocol") && options.Protocol == RedisProtocol.Resp3) dict["protocol"] = 3;
        return dict;
    }

    /// <summary>
    /// A host token after <c>password=</c> may be the tail of a password that holds a comma (the library splits at every
    /// comma): refused, never stored as a host nor shown. Hosts go first: <c>h1:p1,h2:p2,password=...</c>.
    /// </summary>
    private static void RefuseHostAfterPassword(string text)
    {
        var afterPassword = false;
        foreach (var token in text.Split(',').Select(t => t.Trim()))
        {
            if (token.StartsWith("password=", StringComparison.OrdinalIgnoreCase)) afterPassword = true;
            else if (afterPassword && token.Length > 0 && !token.Contains('=', StringComparison.Ordinal))
            {
                throw new FormatException("the connection string names a host after password=, which may be the rest of a password that holds a comma; name every host first ('h1:p1,h2:p2,password=...'). " + CommaHint);
            }
        }
    }

    private static (string Host, int Port, string? Unix) ToHostPort(EndPoint endpoint)
    {
        var (host, port, unix) = endpoint switch
        {
            DnsEndPoint d => (d.Host, d.Port, (string?)null),
            IPEndPoint i => (i.Address.ToString(), i.Port, null),
            UnixDomainSocketEndPoint u => ("", 0, u.ToString()),
            _ => throw new FormatException("the connection string names an endpoint that is neither host:port nor a unix socket"),
        };
        if (unix is null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw new FormatException("the connection string names a host that is not a valid host name or IP address. " + CommaHint);
        }
        return (host, port, unix);
    }

    private static OrderedDictionary FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new FormatException("not a valid URL (expected redis://[user:password@]host[:port][/db][?option=value], rediss://..., or unix:///path/to/socket?db=0)");
        }
        var scheme = uri.Scheme.ToLowerInvariant();
        var unix = scheme is "unix" or "redis+unix";
        var ssl = scheme == "rediss";
        var dict = new OrderedDictionary();
        if (unix)
        {
            if (uri.AbsolutePath.Length <= 1) throw new FormatException("a unix:// URL needs the socket path: unix:///run/redis/redis.sock?db=0");
            dict["unix_socket_path"] = Uri.UnescapeDataString(uri.AbsolutePath);
        }
        else
        {
            if (string.IsNullOrEmpty(uri.Host)) throw new FormatException("the URL names no host (expected redis://[user:password@]host[:port][/db])");
            dict["host"] = uri.Host.Trim('[', ']');
            dict["port"] = uri.IsDefaultPort || uri.Port < 0 ? (ssl ? 6380 : 6379) : uri.Port;
            var path = uri.AbsolutePath.Trim('/');
            if (path.Length > 0)
            {
                if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db)) throw new FormatException("the URL path is not a database number");
                dict["db"] = db;
            }
        }
        if (!dict.Contains("db")) dict["db"] = 0;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            var user = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                if (user.Length > 0) dict["username"] = user;
                dict["password"] = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                dict["password"] = user; // redis://secret@host: a bare password, as redis-py reads it
            }
        }
        if (ssl) dict["ssl"] = true;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            if (!UrlArguments.TryGetValue(name, out var type))
            {
                throw new FormatException($"the URL option '{(name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : "?")}' is not one this module can store (known: {string.Join(", ", UrlArguments.Keys)})");
            }
            dict[name] = Typed(name, value, type);
        }
        return dict;
    }

    private static object Typed(string name, string value, char type)
    {
        var secret = name.Contains("password", StringComparison.Ordinal);
        FormatException Bad(string what) => new($"the URL option '{name}' must be {what}{(secret ? "" : $", not '{value}'")}");
        switch (type)
        {
            case 'i': return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Bad("a whole number");
            case 'f': return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : throw Bad("a number of seconds");
            case 'b':
                return value.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" or "on" => true,
                    "false" or "0" or "no" or "off" => false,
                    _ => throw Bad("true or false"),
                };
            default: return value;
        }
    }

    /// <summary>Host:port list and database, for display. Never includes a password.</summary>
    public static string Describe(ConfigurationOptions options) =>
        ConnectionDefaults.Describe(options) + (options.DefaultDatabase is > 0 ? "/" + options.DefaultDatabase.Value.ToString(CultureInfo.InvariantCulture) : "");
}
