using System;
using System.Globalization;

namespace RedisComponents.Geo;

/// <summary>
/// Rows of a Blocks file into the book's <c>ip2cityid:</c> (member <c>&lt;cityId&gt;_&lt;row&gt;</c>, score
/// = first address) plus our block ends (<c>ip2cityid:ends</c>) and IPv6 blocks (<c>ip2cityid:v6</c>).
/// Legacy GeoLiteCity-Blocks (<c>startIpNum,endIpNum,locId</c>, dotted or integer addresses) and GeoLite2
/// City-Blocks-IPv4/IPv6 (<c>network,geoname_id,registered_country_geoname_id,...</c>, CIDR) are told apart
/// by the header, or by the first data row when there is no header.
/// </summary>
internal sealed class BlockRowParser : GeoRowParserBase
{
    private const int NetworkColumn = 0; // the header is recognised by this column
    private int cityColumn = 1;
    private int countryColumn = 2;

    protected override string ExpectedHeaders => "startIpNum,endIpNum,locId or network,geoname_id,...";

    protected override GeoFileFormat RecognizeHeader(string[] fields)
    {
        if (Is(fields[0], "startIpNum")) return GeoFileFormat.LegacyBlocks;
        if (Is(fields[0], "locId") || Is(fields[0], "geoname_id"))
        {
            throw new GeoFileFormatException("it is a city locations file (header starts with '" + fields[0].Trim() + "'); import it with Import-RedisCityLocation");
        }
        if (!Is(fields[0], "network")) return GeoFileFormat.Unknown;
        cityColumn = Array.FindIndex(fields, f => Is(f, "geoname_id"));
        countryColumn = Array.FindIndex(fields, f => Is(f, "registered_country_geoname_id"));
        if (cityColumn < 0) throw new GeoFileFormatException("its GeoLite2 header has no geoname_id column");
        return GeoFileFormat.GeoLite2Blocks;
    }

    protected override GeoFileFormat RecognizeData(string[] fields)
    {
        var first = fields[0].Trim();
        if (first.Contains('/')) return GeoFileFormat.GeoLite2Blocks;
        return first.Length > 0 && char.IsAsciiDigit(first[0]) ? GeoFileFormat.LegacyBlocks : GeoFileFormat.Unknown;
    }

    protected override RowOutcome AcceptData(string[] fields, long index, StagedKeyWriter writer, out string? problem) =>
        Format == GeoFileFormat.LegacyBlocks ? AcceptLegacy(fields, index, writer, out problem) : AcceptGeoLite2(fields, index, writer, out problem);

    private static RowOutcome AcceptLegacy(string[] fields, long index, StagedKeyWriter writer, out string? problem)
    {
        if (TooFew(fields, 3, out problem)) return RowOutcome.Malformed;
        if (!IpAddressScore.TryParseLegacy(fields[0], out var start))
        {
            problem = $"start address {Quote(fields[0])} is neither a dotted IPv4 address nor an integer below 2^32";
            return RowOutcome.Malformed;
        }
        if (!IpAddressScore.TryParseLegacy(fields[1], out var end) || end < start)
        {
            problem = $"end address {Quote(fields[1])} is not an IPv4 address (dotted or integer) at or after the start";
            return RowOutcome.Malformed;
        }
        if (!IpAddressScore.IsAsciiDigits(fields[2]))
        {
            problem = $"location id {Quote(fields[2])} is not a number";
            return RowOutcome.Malformed;
        }
        AddV4(writer, Member(fields[2], index), start, end);
        return RowOutcome.Imported;
    }

    private RowOutcome AcceptGeoLite2(string[] fields, long index, StagedKeyWriter writer, out string? problem)
    {
        if (TooFew(fields, Math.Max(NetworkColumn, cityColumn) + 1, out problem)) return RowOutcome.Malformed;
        if (!IpAddressScore.TryParseCidr(fields[NetworkColumn].Trim(), out var isV6, out var first, out var last, out problem))
        {
            return RowOutcome.Malformed;
        }
        // Blocks known only to a country (anonymous proxies, satellites) fall back to the registered country.
        var cityId = fields[cityColumn];
        if (cityId.Length == 0 && countryColumn >= 0 && countryColumn < fields.Length) cityId = fields[countryColumn];
        if (cityId.Length == 0) return RowOutcome.Skipped;
        if (!IpAddressScore.IsAsciiDigits(cityId))
        {
            problem = $"geoname id {Quote(cityId)} is not a number";
            return RowOutcome.Malformed;
        }
        var member = Member(cityId, index);
        if (isV6)
        {
            writer.SortedSetAdd(GeoKeys.IpToCityIdV6, V6Member(first, last, member), 0);
        }
        else
        {
            AddV4(writer, member, (uint)first, (uint)last);
        }
        return RowOutcome.Imported;
    }

    /// <summary>
    /// The keys an import of <paramref name="file"/> would replace, from its first data row (legacy or IPv4
    /// network: ip2cityid: and ip2cityid:ends; IPv6 network: ip2cityid:v6), for -WhatIf; null if none is found early.
    /// </summary>
    internal static string[]? DestinationsOf(GeoCsvFile file, int maxRecords = 100)
    {
        for (var n = 0; n < maxRecords && file.Read(); n++)
        {
            var first = file.Fields.Length > 0 ? file.Fields[0].Trim() : "";
            if (first.Length == 0) continue;
            if (first.Contains(':')) return new[] { GeoKeys.IpToCityIdV6 };
            if (char.IsAsciiDigit(first[0])) return new[] { GeoKeys.IpToCityId, GeoKeys.IpToCityIdEnds };
        }
        return null;
    }

    /// <summary>The book's member: <c>row[2] + '_' + str(count)</c>.</summary>
    internal static string Member(string cityId, long index) => cityId + "_" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Fixed-width hex first, so lexicographic order is address order; '|' sorts after every hex digit.</summary>
    internal static string V6Member(UInt128 first, UInt128 last, string member) =>
        IpAddressScore.ToHex(first) + "|" + IpAddressScore.ToHex(last) + "|" + member;

    private static void AddV4(StagedKeyWriter writer, string member, uint start, uint end)
    {
        writer.SortedSetAdd(GeoKeys.IpToCityId, member, start);
        writer.HashSet(GeoKeys.IpToCityIdEnds, member, end);
    }
}
