using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Geo;

/// <summary>
/// The book's find_city_by_ip for a batch of addresses: <see cref="CityIndexRead"/> reads the block (the book's
/// <c>ZREVRANGEBYSCORE ip2cityid: ip -inf LIMIT 0 1</c>; IPv6: <c>ZREVRANGEBYLEX ip2cityid:v6 (hex} - LIMIT 0 1</c>),
/// the block's end and the city of every address, all from one import of each file (readers see the old index or
/// the new one, never a mix); this class turns them into outcomes. An address past the end of its block (a gap
/// between blocks) is not attributed to that block; blocks written without an end (by the book's own import) are
/// trusted as the book trusts them. <see cref="Begin"/> only sends the batch (the rest follows by itself), so a
/// caller can collect its next batch meanwhile.
/// </summary>
internal sealed class CityLookup
{
    private readonly IReadOnlyList<string> addresses;
    private readonly ParsedAddress?[] parsed;
    private readonly Task<CityIndexRead>? read;

    private CityLookup(IDatabase db, IReadOnlyList<string> addresses, bool cluster, int optimisticAttempts, Action<int>? betweenRounds)
    {
        this.addresses = addresses;
        parsed = new ParsedAddress?[addresses.Count];
        var any = false;
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!IpAddressScore.TryParseLookup(addresses[i] ?? "", out var address)) continue;
            parsed[i] = address;
            any = true;
        }
        if (any) read = CityIndexRead.Start(db, parsed, cluster, optimisticAttempts, betweenRounds);
    }

    /// <summary>
    /// Sends the batch's range queries and returns at once. <paramref name="betweenRounds"/> (tests) runs between the
    /// two rounds of each optimistic try (see <see cref="CityIndexRead"/>).
    /// </summary>
    public static CityLookup Begin(IDatabase db, IReadOnlyList<string> addresses, bool cluster = false,
        int optimisticAttempts = CityIndexRead.OptimisticAttempts, Action<int>? betweenRounds = null) =>
        new(db, addresses, cluster, optimisticAttempts, betweenRounds);

    public static List<CityLookupOutcome> Find(IDatabase db, IReadOnlyList<string> addresses, CancellationToken token) =>
        Begin(db, addresses).Complete(token);

    /// <summary>The read, once <see cref="Complete"/> has returned (null when no address parsed); for tests.</summary>
    internal CityIndexRead? Read => read?.Result;

    /// <summary>Waits for the batch's answers and gives one outcome per address, in order.</summary>
    public List<CityLookupOutcome> Complete(CancellationToken token)
    {
        if (read is not null) Wait(read, token);
        var r = read?.Result;
        var outcomes = new List<CityLookupOutcome>(addresses.Count);
        for (var i = 0; i < addresses.Count; i++)
        {
            outcomes.Add(r is null
                ? Outcome(addresses[i] ?? "", parsed[i], null, null, RedisValue.Null, RedisValue.Null)
                : Outcome(addresses[i] ?? "", parsed[i], r.Members[i], r.CityIds[i], r.Ends[i], r.Cities[i]));
        }
        return outcomes;
    }

    private static CityLookupOutcome Outcome(string text, ParsedAddress? parsed, string? member, string? cityId, RedisValue end, RedisValue json)
    {
        if (parsed is not { } address)
        {
            return new CityLookupOutcome(text, null, true, $"{GeoRowParserBase.Quote(text)} is not an IPv4 address (a.b.c.d, or the integer the book's ip_to_score gives) nor an IPv6 address");
        }
        var key = address.IsV6 ? GeoKeys.IpToCityIdV6 : GeoKeys.IpToCityId;
        if (member is null || cityId is null) return new CityLookupOutcome(text, null, false, $"no block in {key} starts at or below {text}");
        if (PastEnd(address, member, end, out var last))
        {
            return new CityLookupOutcome(text, null, false, $"{text} falls in a gap: the block before it ({member}) ends at {last}");
        }
        if (json.IsNull) return new CityLookupOutcome(text, null, false, $"block {member} names city id {cityId}, which {GeoKeys.CityIdToCity} does not hold");
        if (!TryParseCity(json, out var city, out var region, out var country))
        {
            return new CityLookupOutcome(text, null, false, $"{GeoKeys.CityIdToCity} field {cityId} is not the book's JSON [city, region, country]");
        }
        return new CityLookupOutcome(text, new IpCity { IPAddress = text, City = city, Region = region, Country = country, CityId = cityId }, false, null);
    }

    /// <summary>json.loads of the book's value, read with Utf8JsonReader straight from the reply bytes (no document).</summary>
    internal static bool TryParseCity(RedisValue json, out string city, out string region, out string country)
    {
        city = region = country = "";
        try
        {
            var reader = new Utf8JsonReader(((ReadOnlyMemory<byte>)json).Span); // the reply's bytes, not a copy
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
            if (!NextString(ref reader, out city) || !NextString(ref reader, out region) || !NextString(ref reader, out country)) return false;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool NextString(ref Utf8JsonReader reader, out string value)
    {
        value = "";
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) return false;
        value = reader.GetString() ?? "";
        return true;
    }

    private static bool PastEnd(ParsedAddress address, string member, RedisValue end, out string last)
    {
        last = "";
        if (address.IsV6)
        {
            var hex = member.AsSpan(33, 32);
            last = hex.ToString();
            return address.V6 > IpAddressScore.FromHex(hex);
        }
        if (end.IsNull || !end.TryParse(out long endScore)) return false;
        last = IpAddressScore.FormatIPv4((uint)endScore);
        return address.V4 > endScore;
    }

    /// <summary>The book's <c>city_id.partition('_')[0]</c>; for IPv6 members after the two hex fields.</summary>
    internal static string CityIdOf(string member, bool isV6)
    {
        var span = isV6 && member.Length > 66 ? member.AsSpan(66) : member.AsSpan();
        var underscore = span.IndexOf('_');
        return (underscore < 0 ? span : span[..underscore]).ToString();
    }

    /// <summary>Bounded: each command fails by itself after the connection's timeout; Ctrl+C ends the wait.</summary>
    private static void Wait(Task task, CancellationToken token)
    {
        try
        {
            task.Wait(token);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}

