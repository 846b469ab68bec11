using System;
using System.Text;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Key names that co-locate on a Redis Cluster. A key's slot is CRC16 of its hash tag (the text between the
/// first '{' and the next '}', when not empty) or of the whole key. A book key <c>X</c> without braces and
/// <c>prefix{X}suffix</c> therefore share a slot: companions of a book key get it as their tag, and the book
/// key itself keeps its name byte for byte.
/// </summary>
internal static class ClusterKeys
{
    public const int SlotCount = 16384;

    // A short tag per slot, for the rare book key that contains '}' without a hash tag of its own (it cannot be
    // wrapped in braces). Built once: the first "s<n>" strings that hash to each slot.
    private static readonly Lazy<string[]> SlotTags = new(BuildSlotTags);

    /// <summary>
    /// <paramref name="prefix"/> + a tag that hashes to the slot of <paramref name="bookKey"/> + <paramref name="suffix"/>:
    /// <c>{X}</c> for a plain key; the key itself when it carries its own hash tag (its tag stays the first one);
    /// otherwise a computed tag for that slot followed by the key, so the name stays readable.
    /// </summary>
    public static string Companion(string prefix, string bookKey, string suffix)
    {
        if (HashTag(bookKey) is not null) return prefix + bookKey + suffix;
        if (!bookKey.Contains('}', StringComparison.Ordinal)) return prefix + "{" + bookKey + "}" + suffix;
        return prefix + "{" + SlotTags.Value[Slot(bookKey)] + "}" + bookKey + suffix;
    }

    /// <summary>The hash tag of a key (null when it has none).</summary>
    public static string? HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0) return null;
        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? key.Substring(open + 1, close - open - 1) : null;
    }

    /// <summary>The cluster slot of a key (Redis's CRC16/XMODEM of the tag or key, mod 16384).</summary>
    public static int Slot(string key) => Crc16(Encoding.UTF8.GetBytes(HashTag(key) ?? key)) % SlotCount;

    private static int Crc16(byte[] bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        return crc;
    }

    private static string[] BuildSlotTags()
    {
        var tags = new string[SlotCount];
        var left = SlotCount;
        for (var n = 0; left > 0; n++)
        {
            var tag = "s" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var slot = Slot(tag);
            if (tags[slot] is not null) continue;
            tags[slot] = tag;
            left--;
        }
        return tags;
    }
}
