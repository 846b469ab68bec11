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
/// The book's find_city_by_ip for a batch of addresses in one round trip: a Lua script runs, per address,
/// the book's <c>ZREVRANGEBYSCORE ip2cityid: ip 0 LIMIT 0 1</c> (IPv6: ZREVRANGEBYLEX on
/// <c>ip2cityid:v6</c>), then one HMGET of the blocks' ends from <c>ip2cityid:ends</c> and one HMGET of
/// the cities from <c>cityid2city:</c> for the whole batch. An address past the end of its block (a gap between blocks) is not attributed to
/// that block; blocks written without an end (by the book's own import) are trusted as the book trusts
/// them. <see cref="Begin"/> only sends the batch, so a caller can collect its next batch meanwhile.
/// </summary>
internal sealed class CityLookup
{
    /// <summary>
    /// The book's find_city_by_ip for every address of a batch, server side: ARGV holds IPv4 scores, or
    /// for IPv6 the exclusive lexicographic bound "(hex}". One range query per address, then one HMGET
    /// of the ends and one of the cities for the whole batch. Returns member, block end and city JSON per
    /// address (false where there is none); the end check itself is done by the caller.
    /// </summary>
    private const string Script = """
        local found, ids, v4, v4at = {}, {}, {}, {}
        for i = 1, #ARGV do
          local a, m = ARGV[i], nil
          if string.byte(a, 1) == 40 then
            m = redis.call('ZREVRANGEBYLEX', KEYS[4], a, '-', 'LIMIT', 0, 1)[1]
            if m then ids[#ids + 1] = string.match(string.sub(m, 67), '^[^_]*') end
          else
            m = redis.call('ZREVRANGEBYSCORE', KEYS[1], a, 0, 'LIMIT', 0, 1)[1]
            if m then
              ids[#ids + 1] = string.match(m, '^[^_]*')
              v4[#v4 + 1] = m
              v4at[#v4at + 1] = i
            end
          end
          found[i] = m or false
        end
        local ends, cities = {}, {}
        if #v4 > 0 then
          local e = redis.call('HMGET', KEYS[2], unpack(v4))
          for k = 1, #v4at do ends[v4at[k]] = e[k] end
        end
        if #ids > 0 then cities = redis.call('HMGET', KEYS[3], unpack(ids)) end
        local out, c = {}, 0
        for i = 1, #ARGV do
          out[#out + 1] = found[i]
          out[#out + 1] = ends[i] or false
          if found[i] then
            c = c + 1
            out[#out + 1] = cities[c] or false
          else
            out[#out + 1] = false
          end
        end
        return out
        """;

    private static readonly RedisKey[] Keys = { GeoKeys.IpToCityId, GeoKeys.IpToCityIdEnds, GeoKeys.CityIdToCity, GeoKeys.IpToCityIdV6 };

    private readonly IReadOnlyList<string> addresses;
    private readonly ParsedAddress?[] parsed;
    private readonly Task<RedisResult>? reply;

    private CityLookup(IDatabase db, IReadOnlyList<string> addresses)
    {
        this.addresses = addresses;
        var n = addresses.Count;
        parsed = new ParsedAddress?[n];
        var args = new List<RedisValue>(n);
        for (var i = 0; i < n; i++)
        {
            if (!IpAddressScore.TryParseLookup(addresses[i] ?? "", out var address)) continue;
            parsed[i] = address;
            args.Add(address.IsV6 ? "(" + IpAddressScore.ToHex(address.V6) + "}" : address.V4);
        }
        if (args.Count > 0) reply = db.ScriptEvaluateAsync(Script, Keys, args.ToArray());
    }

    /// <summary>Sends the batch (one EVALSHA) and returns at once.</summary>
    public static CityLookup Begin(IDatabase db, IReadOnlyList<string> addresses) => new(db, addresses);

    public static List<CityLookupOutcome> Find(IDatabase db, IReadOnlyList<string> addresses, CancellationToken token) =>
        Begin(db, addresses).Complete(token);

    /// <summary>Waits for the batch's answer and gives one outcome per address, in order.</summary>
    public List<CityLookupOutcome> Complete(CancellationToken token)
    {
        var values = Array.Empty<RedisValue>();
        if (reply is not null)
        {
            WaitAll(new Task[] { reply }, token);
            values = (RedisValue[])reply.Result!;
        }
        var outcomes = new List<CityLookupOutcome>(addresses.Count);
        var k = 0;
        for (var i = 0; i < addresses.Count; i++)
        {
            if (parsed[i] is null)
            {
                outcomes.Add(Outcome(addresses[i] ?? "", null, null, RedisValue.Null, RedisValue.Null));
                continue;
            }
            outcomes.Add(Outcome(addresses[i], parsed[i], values[k].IsNull ? null : values[k].ToString(), values[k + 1], values[k + 2]));
            k += 3;
        }
        return outcomes;
    }

    private static CityLookupOutcome Outcome(string text, ParsedAddress? parsed, string? member, RedisValue end, RedisValue json)
    {
        if (parsed is not { } address)
        {
            return new CityLookupOutcome(text, null, true, $"'{text}' is not an IPv4 address (a.b.c.d, or the integer the book's ip_to_score gives) nor an IPv6 address");
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
