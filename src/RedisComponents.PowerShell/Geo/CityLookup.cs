using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Geo;

/// <summary>
/// The book's find_city_by_ip for a batch of addresses, in native commands only (nothing that holds Redis
/// for more than one short command): one pipelined <c>ZREVRANGEBYSCORE ip2cityid: ip -inf LIMIT 0 1</c> per
/// address (IPv6: <c>ZREVRANGEBYLEX ip2cityid:v6 (hex} - LIMIT 0 1</c>), then, as soon as those have
/// answered, HMGETs (250 fields each) of the blocks' ends from <c>ip2cityid:ends</c> and of the cities
/// from <c>cityid2city:</c> for the whole batch. An address past the end of its block (a gap between blocks) is
/// not attributed to that block; blocks written without an end (by the book's own import) are trusted as
/// the book trusts them. <see cref="Begin"/> only sends the batch (the second round follows by itself), so
/// a caller can collect its next batch meanwhile.
/// </summary>
internal sealed class CityLookup
{
    private readonly IDatabase db;
    private readonly IReadOnlyList<string> addresses;
    private readonly ParsedAddress?[] parsed;
    private readonly Task<RedisValue[]>?[] ranges;
    private readonly int[] endSlot;
    private readonly int[] citySlot;
    private readonly Task<(RedisValue[] Ends, RedisValue[] Cities)> answers;

    private readonly bool cluster;

    private CityLookup(IDatabase db, IReadOnlyList<string> addresses, bool cluster = false)
    {
        this.cluster = cluster;
        this.db = db;
        this.addresses = addresses;
        var n = addresses.Count;
        parsed = new ParsedAddress?[n];
        ranges = new Task<RedisValue[]>?[n];
        endSlot = new int[n];
        citySlot = new int[n];
        var sent = new List<Task>(n);
        var batch = db.CreateBatch(); // queued, then written to the socket in one go
        for (var i = 0; i < n; i++)
        {
            if (!IpAddressScore.TryParseLookup(addresses[i] ?? "", out var address)) continue;
            parsed[i] = address;
            var range = address.IsV6
                ? batch.SortedSetRangeByValueAsync(GeoKeys.Physical(GeoKeys.IpToCityIdV6, cluster), default, IpAddressScore.ToHex(address.V6) + "}", Exclude.Stop, Order.Descending, 0, 1)
                : batch.SortedSetRangeByScoreAsync(GeoKeys.IpToCityId, double.NegativeInfinity, address.V4, Exclude.None, Order.Descending, 0, 1);
            ranges[i] = range;
            sent.Add(range);
        }
        batch.Execute();
        answers = SecondRound(sent.ToArray());
    }

    /// <summary>Sends the batch's range queries and returns at once; the HMGETs go out when they have answered.</summary>
    public static CityLookup Begin(IDatabase db, IReadOnlyList<string> addresses, bool cluster = false) => new(db, addresses, cluster);

    public static List<CityLookupOutcome> Find(IDatabase db, IReadOnlyList<string> addresses, CancellationToken token) =>
        Begin(db, addresses).Complete(token);

    /// <summary>Waits for the batch's answers and gives one outcome per address, in order.</summary>
    public List<CityLookupOutcome> Complete(CancellationToken token)
    {
        Wait(answers, token);
        var (ends, cities) = answers.Result;
        var outcomes = new List<CityLookupOutcome>(addresses.Count);
        for (var i = 0; i < addresses.Count; i++)
        {
            var found = ranges[i]?.Result;
            if (found is null || found.Length == 0)
            {
                outcomes.Add(Outcome(addresses[i] ?? "", parsed[i], null, RedisValue.Null, RedisValue.Null));
                continue;
            }
            var end = endSlot[i] >= 0 ? ends[endSlot[i]] : RedisValue.Null;
            outcomes.Add(Outcome(addresses[i], parsed[i], found[0].ToString(), end, cities[citySlot[i]]));
        }
        return outcomes;
    }

    /// <summary>Once every range query has answered: the ends of the IPv4 blocks found and the cities of all of them, one HMGET each.</summary>
    private async Task<(RedisValue[] Ends, RedisValue[] Cities)> SecondRound(Task[] sent)
    {
        if (sent.Length == 0) return (Array.Empty<RedisValue>(), Array.Empty<RedisValue>());
        await Task.WhenAll(sent).ConfigureAwait(false);
        var members = new List<RedisValue>(sent.Length);
        var ids = new List<RedisValue>(sent.Length);
        for (var i = 0; i < ranges.Length; i++)
        {
            endSlot[i] = -1;
            var found = ranges[i]?.Result;
            if (found is null || found.Length == 0) continue;
            var member = found[0].ToString();
            var isV6 = parsed[i]!.Value.IsV6;
            if (!isV6)
            {
                endSlot[i] = members.Count;
                members.Add(member);
            }
            citySlot[i] = ids.Count;
            ids.Add(CityIdOf(member, isV6));
        }
        var ends = HashGetInChunks(GeoKeys.Physical(GeoKeys.IpToCityIdEnds, cluster), members);
        var cities = HashGetInChunks(GeoKeys.CityIdToCity, ids);
        return (await ends.ConfigureAwait(false), await cities.ConfigureAwait(false));
    }

    /// <summary>Fields per HMGET: small enough that no HMGET holds Redis near a millisecond, even on a busy machine.</summary>
    internal const int HmgetChunk = 250;

    /// <summary>HMGET of <paramref name="fields"/>, pipelined in chunks of <see cref="HmgetChunk"/>, answers in order.</summary>
    private async Task<RedisValue[]> HashGetInChunks(RedisKey key, List<RedisValue> fields)
    {
        if (fields.Count == 0) return Array.Empty<RedisValue>();
        var chunks = new List<Task<RedisValue[]>>();
        for (var at = 0; at < fields.Count; at += HmgetChunk)
        {
            chunks.Add(db.HashGetAsync(key, fields.GetRange(at, Math.Min(HmgetChunk, fields.Count - at)).ToArray()));
        }
        if (chunks.Count == 1) return await chunks[0].ConfigureAwait(false);
        var all = new RedisValue[fields.Count];
        var k = 0;
        foreach (var chunk in chunks)
        {
            foreach (var value in await chunk.ConfigureAwait(false)) all[k++] = value;
        }
        return all;
    }

    private static CityLookupOutcome Outcome(string text, ParsedAddress? parsed, string? member, RedisValue end, RedisValue json)
    {
        if (parsed is not { } address)
        {
            return new CityLookupOutcome(text, null, true, $"{GeoRowParserBase.Quote(text)} is not an IPv4 address (a.b.c.d, or the integer the book's ip_to_score gives) nor an IPv6 address");
        }
        var key = address.IsV6 ? GeoKeys.IpToCityIdV6 : GeoKeys.IpToCityId;
        if (member is null) return new CityLookupOutcome(text, null, false, $"no block in {key} starts at or below {text}");
        var cityId = CityIdOf(member, address.IsV6);
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
