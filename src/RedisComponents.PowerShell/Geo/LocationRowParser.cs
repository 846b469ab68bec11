using System;
using RedisComponents.Infrastructure;

namespace RedisComponents.Geo;

/// <summary>
/// Rows of a Locations file into the book's <c>cityid2city:</c> hash: field = location id, value =
/// <c>json.dumps([city, region, country])</c>. Legacy GeoLiteCity-Location (<c>locId,country,region,city,...</c>,
/// Latin-1) is positional like the book; GeoLite2 City-Locations (UTF-8) is read by column name:
/// city_name, subdivision_1_name and country_iso_code.
/// </summary>
internal sealed class LocationRowParser : GeoRowParserBase
{
    private const int IdColumn = 0; // the header is recognised by this column
    private int countryColumn = 1;
    private int regionColumn = 2;
    private int cityColumn = 3;

    protected override string ExpectedHeaders => "locId,country,region,city,... or geoname_id,...,city_name,...";

    protected override GeoFileFormat RecognizeHeader(string[] fields)
    {
        if (Is(fields[0], "startIpNum") || Is(fields[0], "network"))
        {
            throw new GeoFileFormatException("it is an IP blocks file (header starts with '" + fields[0].Trim() + "'); import it with Import-RedisIpBlock");
        }
        if (Is(fields[0], "locId")) return GeoFileFormat.LegacyLocations;
        if (!Is(fields[0], "geoname_id")) return GeoFileFormat.Unknown;
        countryColumn = Column(fields, "country_iso_code");
        regionColumn = Column(fields, "subdivision_1_name");
        cityColumn = Column(fields, "city_name");
        return GeoFileFormat.GeoLite2Locations;
    }

    protected override GeoFileFormat RecognizeData(string[] fields) =>
        IpAddressScore.IsAsciiDigits(fields[0]) ? GeoFileFormat.LegacyLocations : GeoFileFormat.Unknown;

    protected override RowOutcome AcceptData(string[] fields, long index, StagedKeyWriter writer, out string? problem)
    {
        // The book: len(row) < 4 or not row[0].isdigit() is no location.
        if (TooFew(fields, Math.Max(Math.Max(countryColumn, regionColumn), cityColumn) + 1, out problem)) return RowOutcome.Malformed;
        var id = fields[IdColumn];
        if (!IpAddressScore.IsAsciiDigits(id))
        {
            problem = $"location id {Quote(id)} is not a number";
            return RowOutcome.Malformed;
        }
        writer.HashSet(GeoKeys.CityIdToCity, id, CityJson(fields[cityColumn], fields[regionColumn], fields[countryColumn]));
        return RowOutcome.Imported;
    }

    /// <summary>Byte for byte the book's <c>json.dumps([city, region, country])</c>.</summary>
    internal static string CityJson(string city, string region, string country) =>
        PythonJson.SerializeValue(new[] { city, region, country });

    private static int Column(string[] header, string name)
    {
        var i = Array.FindIndex(header, f => Is(f, name));
        if (i < 0) throw new GeoFileFormatException($"its GeoLite2 header has no {name} column");
        return i;
    }
}
