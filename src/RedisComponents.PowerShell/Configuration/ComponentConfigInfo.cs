using System;
using RedisComponents.Connections;
using System.Collections;
using System.Collections.Specialized;
using System.Text.Json.Nodes;

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
        return new ComponentConfigInfo
        {
            Component = component,
            Type = type,
            Key = ConfigStore.KeyFor(type, component),
            Config = dict,
            HasPassword = hasPassword,
            ConfigServer = configServer,
        };
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
