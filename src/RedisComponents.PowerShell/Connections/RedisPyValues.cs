using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedisComponents.Connections;

/// <summary>Reads typed values of redis-py keyword arguments out of JSON; every failure names the key and what was expected.</summary>
internal static class RedisPyValues
{
    /// <summary>Deepest nesting accepted from -Config (a config is an object of scalars and short lists).</summary>
    public const int MaxDepth = 16;

    /// <summary>Python's json.loads: duplicate keys are allowed and the last one wins.</summary>
    public static JsonNode? ParseLastWins(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return Convert(doc.RootElement);
        }
        catch (JsonException ex)
        {
            // The reader's message names a line and byte position, never the text around it (which may hold a password).
            throw new FormatException($"the value is not JSON ({ex.Message})");
        }
    }

    private static JsonNode? Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(e),
        JsonValueKind.Array => ConvertArray(e),
        JsonValueKind.Null => null,
        _ => JsonNode.Parse(e.GetRawText()),
    };

    private static JsonObject ConvertObject(JsonElement e)
    {
        var o = new JsonObject();
        foreach (var p in e.EnumerateObject()) o[p.Name] = Convert(p.Value); // the indexer replaces: last wins
        return o;
    }

    private static JsonArray ConvertArray(JsonElement e)
    {
        var a = new JsonArray();
        foreach (var item in e.EnumerateArray()) a.Add(Convert(item));
        return a;
    }

    /// <summary>
    /// Throws <see cref="FormatException"/> when a -Config value refers to itself (or nests absurdly deep),
    /// before anything walks it recursively.
    /// </summary>
    public static void EnsureAcyclic(object? value)
    {
        var path = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(value, path, 0);
    }

    private static void Walk(object? value, HashSet<object> path, int depth)
    {
        if (value is null or string || value.GetType().IsPrimitive) return;
        if (value is not IDictionary and not IEnumerable) return;
        if (depth > MaxDepth) throw new FormatException($"the -Config value nests more than {MaxDepth} levels deep; a redis config is an object of plain values");
        if (!path.Add(value)) throw new FormatException("the -Config value contains itself (a hashtable or list that refers back to one of its parents); pass plain values");
        var children = value is IDictionary d ? (IEnumerable)d.Values : (IEnumerable)value;
        foreach (var child in children) Walk(child, path, depth + 1);
        path.Remove(value);
    }

    public static string? ReadString(string key, JsonNode? value, bool allowNull)
    {
        if (value is null && allowNull) return null;
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw new FormatException($"'{key}' must be a string{(allowNull ? " or null" : "")}, not {Describe(value, key)}");
    }

    public static int ReadInt(string key, JsonNode? value, int min, int max)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l))
        {
            if (l < min || l > max) throw new FormatException($"'{key}' must be between {min} and {max}, not {l}");
            return (int)l;
        }
        if (value is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var real) && real == Math.Floor(real) && real >= min && real <= max)
        {
            return (int)real;
        }
        throw new FormatException($"'{key}' must be a whole number, not {Describe(value, key)}");
    }

    public static bool ReadBool(string key, JsonNode? value)
    {
        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new FormatException($"'{key}' must be true or false, not {Describe(value, key)}");
    }

    public static double ReadSeconds(string key, JsonNode? value, double whenNull)
    {
        if (value is null) return whenNull; // redis-py's None: "no timeout"; we bound it anyway.
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            // A value built from a PowerShell int is long-backed: GetValue<double> would throw on it.
            var d = v.TryGetValue<double>(out var real) ? real : v.GetValue<long>();
            if (d > 0 && d <= 3600) return d;
            throw new FormatException($"'{key}' must be a number of seconds above 0 and at most 3600, not {d.ToString(CultureInfo.InvariantCulture)}");
        }
        throw new FormatException($"'{key}' must be a number of seconds or null, not {Describe(value, key)}");
    }

    public static int ReadProtocol(JsonNode? value)
    {
        if (value is null) return 2;
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) && l is 2 or 3) return (int)l;
        if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() is "2" or "3") return int.Parse(s.GetValue<string>(), CultureInfo.InvariantCulture);
        throw new FormatException($"'protocol' must be 2 (RESP2) or 3 (RESP3), not {Describe(value, "protocol")}");
    }

    /// <summary>A value for a message; a secret's value is never shown, only its kind.</summary>
    public static string Describe(JsonNode? value, string key)
    {
        if (value is null) return "null";
        var kind = value.GetValueKind().ToString().ToLowerInvariant();
        return key.Contains("password", StringComparison.Ordinal) || key == "ssl_ca_data" ? kind : $"{kind} {value.ToJsonString()}";
    }
}
