using System;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Net;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// Reads the two ways people write a Redis address: a StackExchange.Redis configuration string
/// (<c>host:port,password=...,ssl=true</c>, parsed by the library) or a <c>redis://</c> / <c>rediss://</c>
/// URL (parsed by <see cref="Uri"/>).
/// </summary>
public static class ConnectionStrings
{
    public static bool IsUrl(string text) =>
        text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Options for a configuration string or URL; throws <see cref="FormatException"/> naming the problem (never the password).</summary>
    public static ConfigurationOptions Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("the connection string is empty");
        ConfigurationOptions options;
        if (IsUrl(text))
        {
            options = FromUrl(text);
        }
        else
        {
            try
            {
                options = ConfigurationOptions.Parse(text, ignoreUnknown: false);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"not a valid StackExchange.Redis configuration string: {ex.Message}", ex);
            }
        }
        if (options.EndPoints.Count == 0) throw new FormatException("the connection string names no host");
        ConnectionDefaults.Apply(options);
        return options;
    }

    /// <summary>
    /// The book's JSON dict (redis-py keyword arguments) for a connection string: host, port, db and,
    /// when set, username, password and ssl. A component config names exactly one server.
    /// </summary>
    public static OrderedDictionary ToRedisPyArguments(string text)
    {
        var options = Parse(text);
        if (options.EndPoints.Count != 1)
        {
            throw new FormatException("a component config names exactly one server; the connection string names " + options.EndPoints.Count);
        }
        var (host, port) = options.EndPoints[0] switch
        {
            DnsEndPoint d => (d.Host, d.Port),
            IPEndPoint i => (i.Address.ToString(), i.Port),
            var other => throw new FormatException($"unsupported endpoint '{other}'"),
        };
        var dict = new OrderedDictionary
        {
            ["host"] = host,
            ["port"] = port == 0 ? (options.Ssl ? 6380 : 6379) : port,
            ["db"] = options.DefaultDatabase ?? 0,
        };
        if (!string.IsNullOrEmpty(options.User)) dict["username"] = options.User;
        if (!string.IsNullOrEmpty(options.Password)) dict["password"] = options.Password;
        if (options.Ssl) dict["ssl"] = true;
        return dict;
    }

    private static ConfigurationOptions FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("not a valid redis:// URL (expected redis://[user:password@]host[:port][/db])");
        }
        var ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase);
        var options = new ConfigurationOptions { Ssl = ssl };
        var port = uri.IsDefaultPort || uri.Port < 0 ? (ssl ? 6380 : 6379) : uri.Port;
        options.EndPoints.Add(uri.Host.Trim('[', ']'), port);

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            var user = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                if (user.Length > 0) options.User = user;
                options.Password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                options.Password = user; // redis://secret@host: a bare password, as redis-py reads it
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db))
            {
                throw new FormatException($"the URL path '/{path}' is not a database number");
            }
            options.DefaultDatabase = db;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (kv[0].ToLowerInvariant())
            {
                case "db": options.DefaultDatabase = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "socket_timeout": options.SyncTimeout = options.AsyncTimeout = Seconds(value); break;
                case "socket_connect_timeout": options.ConnectTimeout = Seconds(value); break;
                case "client_name": options.ClientName = value; break;
            }
        }
        return options;
    }

    private static int Seconds(string value) =>
        (int)Math.Ceiling(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) * 1000);

    /// <summary>Host:port list and database, for display. Never includes a password.</summary>
    public static string Describe(ConfigurationOptions options) =>
        ConnectionDefaults.Describe(options) + (options.DefaultDatabase is > 0 ? "/" + options.DefaultDatabase.Value.ToString(CultureInfo.InvariantCulture) : "");
}
