using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;

namespace RedisComponents.Tests.Geo;

/// <summary>
/// Deterministic MaxMind-like CSV files (MaxMind's own cannot be downloaded here), for tests, the
/// committed samples in examples/data and the benchmark: legacy GeoLiteCity Blocks/Location (copyright
/// line, quoted fields, integer and dotted addresses, Latin-1 names) and GeoLite2 City Blocks IPv4/IPv6
/// and Locations-en (CIDR, UTF-8). Blocks leave gaps between them; one blank line sits mid-file.
/// </summary>
public static class GeoDataGenerator
{
    public const string Copyright = "Copyright (c) 2012 MaxMind LLC.  All Rights Reserved.";
    public const int FirstGeonameId = 1000000;

    private static readonly (string City, string Region, string Country)[] LegacyPlaces =
    {
        ("Mountain View", "CA", "US"), ("São Paulo", "27", "BR"), ("Zürich", "25", "CH"), ("Malmö", "M", "SE"),
        ("Washington, D.C.", "DC", "US"), ("Montréal", "QC", "CA"), ("Quote \"Town\"", "NY", "US"), ("Köln", "07", "DE"),
        ("", "", "A1"), ("Århus", "18", "DK"), ("Ciudad Bolívar", "", "VE"), ("Reykjavík", "10", "IS"),
    };

    private static readonly (string City, string Region, string Country, string CountryName, string Continent)[] GeoLite2Places =
    {
        ("Mountain View", "California", "US", "United States", "NA"), ("東京", "Tokyo", "JP", "Japan", "AS"),
        ("Zürich", "Zurich", "CH", "Switzerland", "EU"), ("Москва", "Moscow", "RU", "Russia", "EU"),
        ("Washington, D.C.", "District of Columbia", "US", "United States", "NA"), ("São Paulo", "São Paulo", "BR", "Brazil", "SA"),
        ("St. John's", "Newfoundland and Labrador", "CA", "Canada", "NA"), ("", "", "FR", "France", "EU"),
        ("Quote \"Town\"", "New York", "US", "United States", "NA"), ("Kraków", "Lesser Poland", "PL", "Poland", "EU"),
    };

    /// <summary>The five sample files (a few KB each) committed in examples/data.</summary>
    public static void WriteSampleSet(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteLegacyBlocks(Path.Combine(directory, "GeoLiteCity-Blocks.csv"), 80, 24);
        WriteLegacyLocations(Path.Combine(directory, "GeoLiteCity-Location.csv"), 24);
        WriteGeoLite2Blocks(Path.Combine(directory, "GeoLite2-City-Blocks-IPv4.csv"), 80, 20, ipv6: false);
        WriteGeoLite2Blocks(Path.Combine(directory, "GeoLite2-City-Blocks-IPv6.csv"), 40, 20, ipv6: true);
        WriteGeoLite2Locations(Path.Combine(directory, "GeoLite2-City-Locations-en.csv"), 20);
    }

    /// <summary>GeoLiteCity-Blocks.csv: locIds 1..<paramref name="locations"/>; every 10th address dotted instead of an integer.</summary>
    public static void WriteLegacyBlocks(string path, int rows, int locations, int seed = 53)
    {
        var random = new Random(seed);
        using var w = Writer(path, Encoding.Latin1);
        w.WriteLine(Copyright);
        w.WriteLine("startIpNum,endIpNum,locId");
        long start = 16777216;
        for (var i = 0; i < rows; i++)
        {
            if (i == rows / 2) w.WriteLine();
            var end = start + random.Next(1, 2049) - 1;
            var locId = 1 + random.Next(locations);
            var dotted = i % 10 == 9;
            w.WriteLine($"\"{Address(start, dotted)}\",\"{Address(end, dotted)}\",\"{locId}\"");
            start = end + 1 + (random.Next(4) == 0 ? random.Next(1, 1025) : 0);
        }
    }

    /// <summary>GeoLiteCity-Location.csv in Latin-1, ids 1..<paramref name="count"/>.</summary>
    public static void WriteLegacyLocations(string path, int count)
    {
        using var w = Writer(path, Encoding.Latin1);
        w.WriteLine(Copyright);
        w.WriteLine("locId,country,region,city,postalCode,latitude,longitude,metroCode,areaCode");
        for (var id = 1; id <= count; id++)
        {
            var (city, region, country) = LegacyPlaces[id % LegacyPlaces.Length];
            var lat = ((id * 7919 % 18000) / 100.0 - 90).ToString("0.0000", CultureInfo.InvariantCulture);
            var lon = ((id * 104729 % 36000) / 100.0 - 180).ToString("0.0000", CultureInfo.InvariantCulture);
            w.WriteLine($"{id},{Quote(country, true)},{Quote(region, true)},{Quote(city, true)},\"\",{lat},{lon},,");
        }
    }

    /// <summary>GeoLite2-City-Blocks-IPv4/IPv6.csv: aligned CIDR networks with gaps; some rows only have a registered country, a few none.</summary>
    public static void WriteGeoLite2Blocks(string path, int rows, int locations, bool ipv6, int seed = 2)
    {
        var random = new Random(seed + (ipv6 ? 6 : 4));
        using var w = Writer(path, new UTF8Encoding(false));
        w.WriteLine("network,geoname_id,registered_country_geoname_id,represented_country_geoname_id,is_anonymous_proxy,is_satellite_provider,postal_code,latitude,longitude,accuracy_radius");
        var bits = ipv6 ? 128 : 32;
        UInt128 next = ipv6 ? UInt128.Parse("20010000000000000000000000000000", NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : 16777216;
        for (var i = 0; i < rows; i++)
        {
            var prefix = ipv6 ? random.Next(40, 65) : random.Next(22, 31);
            var size = UInt128.One << (bits - prefix);
            var start = (next + size - 1) & ~(size - 1);
            var geonameId = (FirstGeonameId + random.Next(locations)).ToString(CultureInfo.InvariantCulture);
            var country = (FirstGeonameId + random.Next(locations)).ToString(CultureInfo.InvariantCulture);
            var city = i % 50 == 7 || i % 500 == 11 ? "" : geonameId;
            if (i % 500 == 11) country = "";
            var network = (ipv6 ? ToIPv6(start) : Address((long)start, true)) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
            w.WriteLine($"{network},{city},{country},,0,0,\"{i % 90000:00000}\",{i % 90}.{i % 10000:0000},-{i % 180}.{i % 1000:000},{1 + i % 1000}");
            next = start + size + (random.Next(4) == 0 ? size : 0);
        }
    }

    /// <summary>GeoLite2-City-Locations-en.csv in UTF-8, geoname ids from <see cref="FirstGeonameId"/>.</summary>
    public static void WriteGeoLite2Locations(string path, int count)
    {
        using var w = Writer(path, new UTF8Encoding(false));
        w.WriteLine("geoname_id,locale_code,continent_code,continent_name,country_iso_code,country_name,subdivision_1_iso_code,subdivision_1_name,subdivision_2_iso_code,subdivision_2_name,city_name,metro_code,time_zone,is_in_european_union");
        for (var k = 0; k < count; k++)
        {
            var (city, region, country, countryName, continent) = GeoLite2Places[k % GeoLite2Places.Length];
            var id = FirstGeonameId + k;
            w.WriteLine($"{id},en,{continent},{Quote(continent + " continent", false)},{country},{Quote(countryName, false)},{(region.Length > 0 ? "R" + (k % 9) : "")},{Quote(region, false)},,,{Quote(city, false)},,{Quote("Zone/" + country, false)},{(continent == "EU" ? 1 : 0)}");
        }
    }

    /// <summary>A legacy address field: the integer, or the dotted quad.</summary>
    public static string Address(long score, bool dotted) =>
        dotted ? $"{score >> 24}.{(score >> 16) & 255}.{(score >> 8) & 255}.{score & 255}" : score.ToString(CultureInfo.InvariantCulture);

    public static string ToIPv6(UInt128 value)
    {
        var bytes = new byte[16];
        for (var i = 15; i >= 0; i--, value >>= 8) bytes[i] = (byte)value;
        return new IPAddress(bytes).ToString();
    }

    /// <summary>CSV quoting: always (legacy strings), or only when needed (GeoLite2).</summary>
    private static string Quote(string value, bool always) =>
        always || value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static StreamWriter Writer(string path, Encoding encoding) => new(path, false, encoding) { NewLine = "\n" };
}
