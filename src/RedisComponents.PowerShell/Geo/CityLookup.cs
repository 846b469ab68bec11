using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Geo;

/// <summary>
/// The book's find_city_by_ip for a batch of addresses in two round trips: one pipelined
/// ZREVRANGEBYSCORE (IPv4) / ZREVRANGEBYLEX (IPv6) per address, then one HMGET of the block ends and one
/// HMGET of the cities for the whole batch. An address past the end of the block found (a gap between
/// blocks) is not attributed to that block; blocks written without an end (by the book's own import)
/// are trusted as the book trusts them. <see cref="Begin"/> only sends the first round, so a caller can
/// collect its next batch while the server works on this one.
/// </summary>
internal sealed class CityLookup
{
    private readonly IDatabase db;
    private readonly IReadOnlyList<string> addresses;
    private readonly ParsedAddress?[] parsed;
    private readonly Task<RedisValue[]>?[] blocks;
    private readonly List<Task> sent;

    private CityLookup(IDatabase db, IReadOnlyList<string> addresses)
    {
        this.db = db;
        this.addresses = addresses;
        var n = addresses.Count;
        parsed = new ParsedAddress?[n];
        blocks = new Task<RedisValue[]>?[n];
        sent = new List<Task>(n);
        for (var i = 0; i < n; i++)
        {
            if (!IpAddressScore.TryParseLookup(addresses[i] ?? "", out var address)) continue;
            parsed[i] = address;
            sent.Add(blocks[i] = address.IsV6
                ? db.SortedSetRangeByValueAsync(GeoKeys.IpToCityIdV6, default, IpAddressScore.ToHex(address.V6) + "}", Exclude.Stop, Order.Descending, 0, 1)
                : db.SortedSetRangeByScoreAsync(GeoKeys.IpToCityId, 0, address.V4, Exclude.None, Order.Descending, 0, 1));
        }
    }

    /// <summary>Sends the range query of every valid address (first round) and returns at once.</summary>
    public static CityLookup Begin(IDatabase db, IReadOnlyList<string> addresses) => new(db, addresses);

    public static List<CityLookupOutcome> Find(IDatabase db, IReadOnlyList<string> addresses, CancellationToken token) =>
        Begin(db, addresses).Complete(token);

    /// <summary>Waits for the first round, runs the second, and gives one outcome per address, in order.</summary>
    public List<CityLookupOutcome> Complete(CancellationToken token)
    {
        var n = addresses.Count;
        WaitAll(sent, token);

        // Second round: ends and cities for the whole batch, one HMGET each.
        var members = new string?[n];
        var cityIds = new string?[n];
        var endFields = new List<RedisValue>(n);
        var endIndex = new int[n];
        var cityFields = new List<RedisValue>(n);
        var cityIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            endIndex[i] = -1;
            var found = blocks[i]?.Result;
            if (found is not { Length: > 0 }) continue;
            var member = members[i] = found[0].ToString();
            var isV6 = parsed[i]!.Value.IsV6;
            var cityId = cityIds[i] = CityIdOf(member, isV6);
            if (!isV6)
            {
                endIndex[i] = endFields.Count;
                endFields.Add(member);
            }
            if (cityIndex.TryAdd(cityId, cityFields.Count)) cityFields.Add(cityId);
        }
        var endsTask = endFields.Count == 0 ? Task.FromResult(Array.Empty<RedisValue>()) : db.HashGetAsync(GeoKeys.IpToCityIdEnds, endFields.ToArray());
        var citiesTask = cityFields.Count == 0 ? Task.FromResult(Array.Empty<RedisValue>()) : db.HashGetAsync(GeoKeys.CityIdToCity, cityFields.ToArray());
        WaitAll(new Task[] { endsTask, citiesTask }, token);

        var outcomes = new List<CityLookupOutcome>(n);
        for (var i = 0; i < n; i++)
        {
            var end = endIndex[i] < 0 ? RedisValue.Null : endsTask.Result[endIndex[i]];
            var json = cityIds[i] is { } id ? citiesTask.Result[cityIndex[id]] : RedisValue.Null;
            outcomes.Add(Outcome(addresses[i] ?? "", parsed[i], members[i], cityIds[i], end, json));
        }
        return outcomes;
    }

    private static CityLookupOutcome Outcome(string text, ParsedAddress? parsed, string? member, string? cityId, RedisValue end, RedisValue json)
    {
        if (parsed is not { } address)
        {
            return new CityLookupOutcome(text, null, true, $"'{text}' is not an IPv4 address (a.b.c.d, or the integer the book's ip_to_score gives) nor an IPv6 address");
        }
        var key = address.IsV6 ? GeoKeys.IpToCityIdV6 : GeoKeys.IpToCityId;
        if (member is null) return new CityLookupOutcome(text, null, false, $"no block in {key} starts at or below {text}");
        if (PastEnd(address, member, end, out var last))
        {
            return new CityLookupOutcome(text, null, false, $"{text} falls in a gap: the block before it ({member}) ends at {last}");
        }
        if (json.IsNull) return new CityLookupOutcome(text, null, false, $"block {member} names city id {cityId}, which {GeoKeys.CityIdToCity} does not hold");
        if (!TryParseCity(json, out var city, out var region, out var country))
        {
            return new CityLookupOutcome(text, null, false, $"{GeoKeys.CityIdToCity} field {cityId} is not the book's JSON [city, region, country]");
        }
        return new CityLookupOutcome(text, new IpCity { IPAddress = text, City = city, Region = region, Country = country, CityId = cityId! }, false, null);
    }

    /// <summary>json.loads of the book's value, read with Utf8JsonReader straight from the reply bytes (no document).</summary>
    internal static bool TryParseCity(RedisValue json, out string city, out string region, out string country)
    {
        city = region = country = "";
        try
        {
            var reader = new Utf8JsonReader((byte[])json!);
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
    private static string CityIdOf(string member, bool isV6)
    {
        var span = isV6 && member.Length > 66 ? member.AsSpan(66) : member.AsSpan();
        var underscore = span.IndexOf('_');
        return (underscore < 0 ? span : span[..underscore]).ToString();
    }

    private static void WaitAll(IReadOnlyCollection<Task> tasks, CancellationToken token)
    {
        if (tasks.Count == 0) return;
        try
        {
            Task.WaitAll(tasks as Task[] ?? tasks.ToArray(), token);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
