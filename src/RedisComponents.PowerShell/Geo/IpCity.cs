using System.Linq;

namespace RedisComponents.Geo;

/// <summary>The city an IP address maps to (Find-RedisCity).</summary>
public sealed class IpCity
{
    /// <summary>The address as it was given.</summary>
    public string IPAddress { get; init; } = "";
    public string City { get; init; } = "";
    public string Region { get; init; } = "";
    public string Country { get; init; } = "";

    /// <summary>The location id (legacy locId or GeoLite2 geoname_id), field of <c>cityid2city:</c>.</summary>
    public string CityId { get; init; } = "";

    public override string ToString()
    {
        var place = string.Join(", ", new[] { City, Region, Country }.Where(s => s.Length > 0));
        return $"{IPAddress} -> {(place.Length == 0 ? "(unnamed)" : place)} [{CityId}]";
    }
}

/// <summary>The answer for one address: a city, or why there is none.</summary>
internal readonly record struct CityLookupOutcome(string Address, IpCity? City, bool InvalidAddress, string? Problem);
