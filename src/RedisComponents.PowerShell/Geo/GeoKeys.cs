using System;

namespace RedisComponents.Geo;

/// <summary>
/// Key names of the IP-to-city index. The first two are the book's (5.3) and hold exactly its layout;
/// the others are ours and only add to it, so the book's find_city_by_ip keeps working on our data.
/// </summary>
public static class GeoKeys
{
    /// <summary>Book: ZSET, member <c>&lt;cityId&gt;_&lt;row&gt;</c>, score = first IPv4 address of the block as an integer.</summary>
    public const string IpToCityId = "ip2cityid:";

    /// <summary>Book: HASH, field cityId, value JSON <c>[city, region, country]</c> as Python's json.dumps writes it.</summary>
    public const string CityIdToCity = "cityid2city:";

    /// <summary>Ours: HASH, field = a member of <see cref="IpToCityId"/>, value = last IPv4 address of that block (decimal).</summary>
    public const string IpToCityIdEnds = "ip2cityid:ends";

    /// <summary>
    /// Ours: IPv6 blocks as a lexicographic ZSET (every score 0), member
    /// <c>&lt;start hex32&gt;|&lt;end hex32&gt;|&lt;cityId&gt;_&lt;row&gt;</c>, searched with ZREVRANGEBYLEX.
    /// </summary>
    public const string IpToCityIdV6 = "ip2cityid:v6";

    /// <summary>Where an import builds <paramref name="destination"/> before renaming it into place.</summary>
    internal static string Staging(string destination, string importId) =>
        $"{destination.TrimEnd(':')}:importing:{importId}";

    internal static string NewImportId() => Guid.NewGuid().ToString("N");
}
