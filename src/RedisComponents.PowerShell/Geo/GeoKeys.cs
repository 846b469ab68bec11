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

    /// <summary>
    /// Ours: STRING, incremented by every swap of an IP blocks file (<c>ip2cityid:</c>, <c>ip2cityid:ends</c>,
    /// <c>ip2cityid:v6</c>). A lookup reads it before its range queries and after its HMGETs and starts again
    /// when it changed, so its answers all come from one import.
    /// </summary>
    public const string IpToCityIdGeneration = "ip2cityid:generation";

    /// <summary>Ours: STRING, incremented by every swap of a Locations file (<c>cityid2city:</c>); read like <see cref="IpToCityIdGeneration"/>.</summary>
    public const string CityIdToCityGeneration = "cityid2city:generation";

    /// <summary>The generation key a swap of <paramref name="destination"/> (a logical key) increments.</summary>
    internal static string GenerationOf(string destination) =>
        destination == CityIdToCity ? CityIdToCityGeneration : IpToCityIdGeneration;

    /// <summary>Where an import builds <paramref name="destination"/> before renaming it into place.</summary>
    internal static string Staging(string destination, string importId) =>
        $"{destination.TrimEnd(':')}:importing:{importId}";

    /// <summary>
    /// The key written for <paramref name="key"/>. On a cluster the module's own companions of <c>ip2cityid:</c>
    /// carry it as hash tag (<c>{ip2cityid:}:ends</c>, <c>{ip2cityid:}:v6</c>, <c>{ip2cityid:}:generation</c>;
    /// <c>{cityid2city:}:generation</c>), so one file's keys swap in one script; the book's two keys keep their names.
    /// </summary>
    public static string Physical(string key, bool cluster) => !cluster ? key : key switch
    {
        IpToCityIdEnds => Infrastructure.ClusterKeys.Companion("", IpToCityId, ":ends"),
        IpToCityIdV6 => Infrastructure.ClusterKeys.Companion("", IpToCityId, ":v6"),
        IpToCityIdGeneration => Infrastructure.ClusterKeys.Companion("", IpToCityId, ":generation"),
        CityIdToCityGeneration => Infrastructure.ClusterKeys.Companion("", CityIdToCity, ":generation"),
        _ => key,
    };

    /// <summary>The staging key of a (physical) destination: on a cluster in the destination's slot (<c>{ip2cityid:}:importing:ID</c>).</summary>
    internal static string Staging(string destination, string importId, bool cluster) =>
        cluster ? Infrastructure.ClusterKeys.Companion("", destination, ":importing:" + importId) : Staging(destination, importId);

    internal static string NewImportId() => Guid.NewGuid().ToString("N");
}
