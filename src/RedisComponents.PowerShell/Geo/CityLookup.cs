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
/// are trusted as the book trusts them.
/// </summary>
internal static class CityLookup
{
    public static List<CityLookupOutcome> Find(IDatabase db, IReadOnlyList<string> addresses, CancellationToken token)
    {
        var parsed = new ParsedAddress?[addresses.Count];
        var blocks = new Task<RedisValue[]>?[addresses.Count];
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!IpAddressScore.TryParseLookup(addresses[i] ?? "", out var address)) continue;
            parsed[i] = address;
            blocks[i] = address.IsV6
                ? db.SortedSetRangeByValueAsync(GeoKeys.IpToCityIdV6, default, IpAddressScore.ToHex(address.V6) + "}", Exclude.Stop, Order.Descending, 0, 1)
                : db.SortedSetRangeByScoreAsync(GeoKeys.IpToCityId, 0, address.V4, Exclude.None, Order.Descending, 0, 1);
        }
        WaitAll(blocks.Where(t => t is not null).ToArray()!, token);

        // Second round: what each found block says, then ends and cities for the whole batch at once.
        var members = new string?[addresses.Count];
        var cityIds = new string?[addresses.Count];
        for (var i = 0; i < addresses.Count; i++)
        {
            var found = blocks[i]?.Result;
            if (found is not { Length: > 0 }) continue;
            members[i] = found[0].ToString();
            cityIds[i] = CityIdOf(members[i]!, parsed[i]!.Value.IsV6);
        }
        var v4Members = Enumerable.Range(0, addresses.Count).Where(i => members[i] is not null && !parsed[i]!.Value.IsV6).ToArray();
        var ids = cityIds.Where(c => c is not null).Distinct(StringComparer.Ordinal).ToArray();
        var endsTask = v4Members.Length == 0 ? Task.FromResult(Array.Empty<RedisValue>())
            : db.HashGetAsync(GeoKeys.IpToCityIdEnds, v4Members.Select(i => (RedisValue)members[i]).ToArray());
        var citiesTask = ids.Length == 0 ? Task.FromResult(Array.Empty<RedisValue>())
            : db.HashGetAsync(GeoKeys.CityIdToCity, ids.Select(id => (RedisValue)id).ToArray());
        WaitAll(new Task[] { endsTask, citiesTask }, token);

        var ends = new Dictionary<int, RedisValue>();
        for (var k = 0; k < v4Members.Length; k++) ends[v4Members[k]] = endsTask.Result[k];
        var cities = new Dictionary<string, RedisValue>(StringComparer.Ordinal);
        for (var k = 0; k < ids.Length; k++) cities[ids[k]!] = citiesTask.Result[k];

        var outcomes = new List<CityLookupOutcome>(addresses.Count);
        for (var i = 0; i < addresses.Count; i++)
        {
            outcomes.Add(Outcome(addresses[i] ?? "", parsed[i], members[i], cityIds[i], ends.GetValueOrDefault(i), cityIds[i] is null ? default : cities[cityIds[i]!]));
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
        try
        {
            using var doc = JsonDocument.Parse(json.ToString());
            var parts = doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString()).ToArray();
            if (parts.Length < 3) throw new JsonException("fewer than 3 elements");
            return new CityLookupOutcome(text, new IpCity { IPAddress = text, City = parts[0], Region = parts[1], Country = parts[2], CityId = cityId! }, false, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new CityLookupOutcome(text, null, false, $"{GeoKeys.CityIdToCity} field {cityId} is not the book's JSON [city, region, country] ({ex.Message})");
        }
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

    private static void WaitAll(Task[] tasks, CancellationToken token)
    {
        if (tasks.Length == 0) return;
        try
        {
            Task.WaitAll(tasks, token);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
