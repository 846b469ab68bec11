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

    /// <summary>
    /// Python's float repr: the shortest round-trip digits, in fixed notation when the decimal exponent is
    /// in [-4, 16), otherwise scientific with a signed two-digit exponent ("1e+16", "1.5e-07").
    /// </summary>
    internal static string FormatFloat(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";

        // "E16" would pad; "R" gives the shortest digits, in whatever layout .NET picks: take it apart.
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var ePos = r.IndexOfAny(new[] { 'E', 'e' });
        var mantissa = ePos < 0 ? r : r[..ePos];
        var exp10 = ePos < 0 ? 0 : int.Parse(r[(ePos + 1)..], CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var allDigits = intPart + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var digits = allDigits.TrimStart('0');
        var leadingZeros = allDigits.Length - digits.Length;
        var pointPos = intPart.Length + exp10 - leadingZeros; // digits "d1d2..." times 10^(pointPos - len)
        digits = digits.TrimEnd('0');
        var exponent = pointPos - 1;                           // scientific exponent of d1.d2...

        string body;
        if (exponent < -4 || exponent >= 16)
        {
            var frac = digits.Length > 1 ? "." + digits[1..] : "";
            body = digits[0] + frac + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (pointPos <= 0)
        {
            body = "0." + new string('0', -pointPos) + digits;
        }
        else if (pointPos >= digits.Length)
        {
            body = digits + new string('0', pointPos - digits.Length) + ".0";
        }
        else
        {
            body = digits[..pointPos] + "." + digits[pointPos..];
        }
        return d < 0 ? "-" + body : body;
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
