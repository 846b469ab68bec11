using System;
using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Numerics;
using System.Text;
using StackExchange.Redis;

namespace RedisComponents.RawCommands;

/// <summary>
/// A Redis reply as plain .NET values PowerShell shows natively: strings (bytes that are not UTF-8 stay a
/// byte[]), long, double, bool, BigInteger, null, object[] for arrays and sets (nested), and an ordered
/// dictionary for a RESP3 map. An error inside an array (EXEC, a script's table) becomes its message text.
/// </summary>
public static class RedisResultConverter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static object? Convert(RedisResult result)
    {
        if (result.IsNull) return null;
        switch (result.Resp3Type)
        {
            case ResultType.Integer:
                return (long)result;
            case ResultType.Double:
                return (double)result;
            case ResultType.Boolean:
                return (bool)result;
            case ResultType.BigInteger:
                return BigInteger.Parse(result.ToString()!, CultureInfo.InvariantCulture);
            case ResultType.Map:
            case ResultType.Attribute:
                var map = new OrderedDictionary();
                var pairs = (RedisResult[])result!;
                for (var i = 0; i + 1 < pairs.Length; i += 2) map[Convert(pairs[i]) ?? ""] = Convert(pairs[i + 1]);
                return map;
            case ResultType.Array:
            case ResultType.Set:
            case ResultType.Push:
                var items = (RedisResult[])result!;
                var converted = new object?[items.Length];
                for (var i = 0; i < items.Length; i++) converted[i] = Convert(items[i]);
                return converted;
            case ResultType.Error:
            case ResultType.BlobError:
                return result.ToString();
            default:
                return Text((byte[]?)result);
        }
    }

    private static object? Text(byte[]? bytes)
    {
        if (bytes is null) return null;
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return bytes; // binary (DUMP, a serialized value): keep every byte
        }
    }

    /// <summary>A PowerShell argument as what Redis receives: text, bytes or a number in invariant culture.</summary>
    public static RedisValue ToValue(object? argument) => argument switch
    {
        null => RedisValue.EmptyString,
        string s => s,
        byte[] b => b,
        bool flag => flag ? "1" : "0",
        int i => i,
        long l => l,
        double d => d,
        float f => (double)f,
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => argument.ToString() ?? "",
    };

    /// <summary>The text of an argument for COMMAND INFO/GETKEYS and messages.</summary>
    public static string ToText(object? argument) => ToValue(argument) is var v && v.IsNull ? "" : (string)v! ?? "";

    internal static bool IsEnumerable(object? value) => value is IEnumerable and not string and not byte[] and not IDictionary;
}
