using System;
using System.Collections;
using System.Collections.Specialized;
using System.Text.Json.Nodes;
using RedisComponents.Connections;

namespace RedisComponents.Configuration;

/// <summary>
/// One config entry as Get-RedisComponentConfig returns it. The password is masked unless the caller
/// asked for plain text, so the object can be printed, logged or exported safely.
/// </summary>
public sealed class ComponentConfigInfo
{
    public const string Mask = "********";

    public string Component { get; init; } = "";
    public string Type { get; init; } = ConfigStore.RedisType;
    public string Key { get; init; } = "";

    /// <summary>The config's arguments (password masked unless -AsPlainText).</summary>
    public OrderedDictionary Config { get; init; } = new();
    public bool HasPassword { get; init; }
    public string ConfigServer { get; init; } = "";

    /// <summary>The Redis host of a <c>redis</c> config (null for other types or an invalid config).</summary>
    public string? Host { get; init; }

    /// <summary>The Redis port of a <c>redis</c> config (null for other types or an invalid config).</summary>
    public int? Port { get; init; }

    /// <summary>The database number (redis-py's <c>db</c>) of a <c>redis</c> config.</summary>
    public int? Database { get; init; }

    /// <summary>False when the stored value cannot be used: not JSON, or (type redis) not valid redis-py arguments.</summary>
    public bool IsValid { get; init; } = true;

    /// <summary>Why the config is invalid, in one sentence; null when it is valid.</summary>
    public string? Problem { get; init; }

    public override string ToString() => Key;

    /// <summary>Reads stored JSON into an info object; a value that is not a JSON object is returned under the key "value".</summary>
    internal static ComponentConfigInfo FromJson(string type, string component, string json, string configServer, bool plainText)
    {
        var dict = new OrderedDictionary();
        JsonNode? node = null;
        try
        {
            node = RedisPyConfig.ParseJson(json); // duplicate keys: the last wins, as in Python's json.loads
        }
        catch (FormatException)
        {
            // Not JSON: show the raw text so the operator can see what is wrong.
        }
        if (node is JsonObject obj)
        {
            foreach (var (k, v) in obj) dict[k] = ToPlain(v);
        }
        else
        {
            dict["value"] = node is null ? json : ToPlain(node);
        }

        var hasPassword = dict["password"] is string { Length: > 0 };
        if (hasPassword && !plainText) dict["password"] = Mask;
        var (parsed, problem) = Validate(type, node, json);
        return new ComponentConfigInfo
        {
            Host = parsed?.Host,
            Port = parsed?.Port,
            Database = parsed?.Db,
            IsValid = problem is null,
            Problem = problem,
            Component = component,
            Type = type,
            Key = ConfigStore.KeyFor(type, component),
            Config = dict,
            HasPassword = hasPassword,
            ConfigServer = configServer,
        };
    }

    /// <summary>A redis config must be valid redis-py arguments; any other type must at least be JSON.</summary>
    private static (RedisPyConfig? Parsed, string? Problem) Validate(string type, JsonNode? node, string json)
    {
        if (type != ConfigStore.RedisType) return (null, node is null && json.Trim() != "null" ? "The value is not JSON." : null);
        try
        {
            return (RedisPyConfig.Parse(json), null);
        }
        catch (FormatException ex)
        {
            // The parser quotes the offending value: never echo a (malformed) password.
            if (ex.Message.Contains("'password'", StringComparison.Ordinal)) return (null, "'password' must be a string (value not shown).");
            var text = ex.Message.Length > 0 ? char.ToUpperInvariant(ex.Message[0]) + ex.Message[1..] : ex.Message;
            return (null, text.EndsWith('.') ? text : text + ".");
        }
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => ToHashtable(o),
        JsonArray a => ToArray(a),
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            System.Text.Json.JsonValueKind.Number => v.TryGetValue<long>(out var l) ? (object)l : v.GetValue<double>(),
            _ => null,
        },
        _ => node.ToJsonString(),
    };

    private static OrderedDictionary ToHashtable(JsonObject o)
    {
        var d = new OrderedDictionary();
        foreach (var (k, v) in o) d[k] = ToPlain(v);
        return d;
    }

    private static object?[] ToArray(JsonArray a)
    {
        var list = new ArrayList();
        foreach (var item in a) list.Add(ToPlain(item));
        return list.ToArray();
    }
}
