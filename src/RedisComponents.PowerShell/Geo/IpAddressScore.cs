using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RedisComponents.Geo;

/// <summary>An address to look up: IPv4 as the book's integer score, or IPv6 as a 128-bit value.</summary>
internal readonly record struct ParsedAddress(bool IsV6, uint V4, UInt128 V6);

/// <summary>
/// The book's <c>ip_to_score</c> (a*2^24 + b*2^16 + c*2^8 + d) and its IPv6 counterpart, parsed strictly:
/// unlike the book, a part above 255 or a missing part is an error, not a wrong score.
/// </summary>
internal static class IpAddressScore
{
    /// <summary>Dotted quad to score. Only four decimal parts 0..255 are accepted.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out uint score)
    {
        score = 0;
        var parts = 0;
        var value = -1;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (value < 0 || ++parts > 3) return false;
                score = (score << 8) | (uint)value;
                value = -1;
            }
            else if (c is >= '0' and <= '9')
            {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) return false;
            }
            else
            {
                return false;
            }
        }
        if (value < 0 || parts != 3) return false;
        score = (score << 8) | (uint)value;
        return true;
    }

    /// <summary>A legacy-file address: dotted quad, or the integer the legacy files hold (0..2^32-1).</summary>
    public static bool TryParseLegacy(string text, out uint score)
    {
        if (text.Contains('.')) return TryParseIPv4(text, out score);
        score = 0;
        return IsAsciiDigits(text) && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out score);
    }

    /// <summary>"a.b.c.d/len" or an IPv6 "x::/len", aligned on its prefix; gives the first and last address.</summary>
    public static bool TryParseCidr(string text, out bool isV6, out UInt128 first, out UInt128 last, out string? problem)
    {
        isV6 = false;
        first = last = 0;
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            problem = $"network {GeoRowParserBase.Quote(text)} is not in CIDR form (address/prefix)";
            return false;
        }
        var address = text.AsSpan(0, slash);
        int bits;
        if (TryParseIPv4(address, out var v4))
        {
            first = v4;
            bits = 32;
        }
        else if (address.Contains(':') && IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.ScopeId == 0)
        {
            first = ToUInt128(ip);
            bits = 128;
            isV6 = true;
        }
        else
        {
            problem = $"network {GeoRowParserBase.Quote(text)} does not start with a valid IPv4 or IPv6 address";
            return false;
        }
        if (prefix > bits)
        {
            problem = $"network {GeoRowParserBase.Quote(text)} has a prefix longer than {bits} bits";
            return false;
        }
        var hostMask = prefix == bits ? UInt128.Zero : (UInt128.One << (bits - prefix)) - 1;
        if ((first & hostMask) != 0)
        {
            problem = $"network {GeoRowParserBase.Quote(text)} has host bits set (not aligned on /{prefix})";
            return false;
        }
        last = first | hostMask;
        problem = null;
        return true;
    }

    /// <summary>What Find-RedisCity accepts: a dotted quad, an integer score (like the book), or an IPv6 address.</summary>
    public static bool TryParseLookup(string text, out ParsedAddress address)
    {
        address = default;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (!text.Contains(':'))
        {
            if (!TryParseLegacy(text, out var v4)) return false;
            address = new ParsedAddress(false, v4, 0);
            return true;
        }
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (ip.IsIPv4MappedToIPv6)
        {
            TryParseIPv4(ip.MapToIPv4().ToString(), out var mapped);
            address = new ParsedAddress(false, mapped, 0);
            return true;
        }
        address = new ParsedAddress(true, 0, ToUInt128(ip));
        return true;
    }

    public static UInt128 ToUInt128(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        UInt128 value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }

    /// <summary>32 lowercase hex digits: fixed width, so byte order of the text is numeric order.</summary>
    public static string ToHex(UInt128 value) => value.ToString("x32", CultureInfo.InvariantCulture);

    public static UInt128 FromHex(ReadOnlySpan<char> hex) => UInt128.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    public static string FormatIPv4(uint score) =>
        $"{score >> 24}.{(score >> 16) & 255}.{(score >> 8) & 255}.{score & 255}";

    public static bool IsAsciiDigits(string text)
    {
        if (text.Length == 0) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
