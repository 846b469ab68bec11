using System;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Writes JSON the way Python's <c>json.dumps</c> does with its defaults (", " and ": " separators,
/// non-ASCII escaped as \uXXXX), so values we store are byte-for-byte what the book's code stores.
/// Parsing is System.Text.Json's job; only the output layout is Python's.
/// </summary>
internal static class PythonJson
{
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    /// <summary>Serializes plain .NET values (dictionaries, lists, strings, numbers, bools, null).</summary>
    public static string SerializeValue(object? value) => Serialize(ToNode(value));

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode n => n,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or short or byte or uint or ushort or sbyte => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IDictionary d => ToObject(d),
        IEnumerable e => ToArray(e),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static JsonObject ToObject(IDictionary d)
    {
        var o = new JsonObject();
        foreach (DictionaryEntry entry in d)
        {
            o[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
        }
        return o;
    }

    private static JsonArray ToArray(IEnumerable e)
    {
        var a = new JsonArray();
        foreach (var item in e) a.Add(ToNode(item));
        return a;
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, value);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, a[i]);
                }
                sb.Append(']');
                break;
            default:
                WriteScalar(sb, node.AsValue());
                break;
        }
    }

    private static void WriteScalar(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: WriteString(sb, value.GetValue<string>()); break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l)) sb.Append(l.ToString(CultureInfo.InvariantCulture));
                else sb.Append(FormatFloat(value.GetValue<double>()));
                break;
            default: sb.Append("null"); break;
        }
    }

    /// <summary>Python's float repr: shortest round-trip digits, always a '.0' or exponent.</summary>
    internal static string FormatFloat(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
        if (s.Contains('e') && !s.Contains("e-") && !s.Contains("e+")) s = s.Replace("e", "e+");
        return s.Contains('.') || s.Contains('e') || s.Contains("Infinity") || s.Contains("NaN") ? s : s + ".0";
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
