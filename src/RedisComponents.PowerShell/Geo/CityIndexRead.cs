using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Geo;

/// <summary>
/// One consistent read of the IP-to-city index for a batch of addresses: per address the block found (member), its
/// end (IPv4; from <c>ip2cityid:ends</c>) and its city JSON, all from one import of the blocks file and one of the
/// locations file, although an import may swap either index at any moment.
/// <para>
/// First optimistically, in native commands only (nothing holds Redis): GETs of both generation keys (every swap
/// increments its file's key in the swap's script), the book's range query per address, pipelined, then, once those
/// have answered, HMGETs (250 fields each) of the ends and the cities, then both generation keys again. A key is read
/// on the connection that holds its index, so in order with that index's reads: equal readings mean that no swap ran
/// in between. When a swap did (imports running back to back), after <see cref="OptimisticAttempts"/> tries the batch
/// is read atomically: one script does the range queries and the ends on the blocks' node, one HMGET the cities.
/// </para>
/// </summary>
internal sealed class CityIndexRead
{
    /// <summary>Optimistic tries before the atomic read.</summary>
    public const int OptimisticAttempts = 3;

    /// <summary>Fields per HMGET of the optimistic round: small enough that no HMGET holds Redis near a millisecond, even on a busy machine.</summary>
    public const int HmgetChunk = 250;

    // KEYS: ip2cityid:, ip2cityid:ends, ip2cityid:v6 (one slot on a cluster). ARGV: per address '4' and its score, or
    // '6' and the ZREVRANGEBYLEX max. Returns per address the member found and (IPv4) its end, nil where none.
    private const string AtomicScript = """
        local out = {}
        local j = 0
        for i = 1, #ARGV, 2 do
          local found
          if ARGV[i] == '4' then
            found = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[i + 1], '-inf', 'LIMIT', 0, 1)[1]
          else
            found = redis.call('ZREVRANGEBYLEX', KEYS[3], ARGV[i + 1], '-', 'LIMIT', 0, 1)[1]
          end
          out[j + 1] = found or false
          out[j + 2] = (found and ARGV[i] == '4') and redis.call('HGET', KEYS[2], found) or false
          j = j + 2
        end
        return out
        """;

    private readonly IDatabase db;
    private readonly ParsedAddress?[] parsed;
    private readonly bool cluster;
    private readonly int optimisticAttempts;
    private readonly Action<int>? betweenRounds;

    private CityIndexRead(IDatabase db, ParsedAddress?[] parsed, bool cluster, int optimisticAttempts, Action<int>? betweenRounds)
    {
        this.db = db;
        this.parsed = parsed;
        this.cluster = cluster;
        this.optimisticAttempts = optimisticAttempts;
        this.betweenRounds = betweenRounds;
        Members = new string?[parsed.Length];
        CityIds = new string?[parsed.Length];
        Ends = new RedisValue[parsed.Length];
        Cities = new RedisValue[parsed.Length];
    }

    /// <summary>Per address: the member of the block found (null: none, or the address did not parse).</summary>
    public string?[] Members { get; }

    /// <summary>Per address: the city id of the block found (the book's <c>city_id.partition('_')[0]</c>), null with <see cref="Members"/>.</summary>
    public string?[] CityIds { get; }

    /// <summary>Per address: the end of its IPv4 block (null when none is stored, and for IPv6).</summary>
    public RedisValue[] Ends { get; }

    /// <summary>Per address: the city JSON of its block's city id (null when none).</summary>
    public RedisValue[] Cities { get; }

    /// <summary>Optimistic tries made (for tests).</summary>
    public int Attempts { get; private set; }

    /// <summary>True when the batch was read by the atomic fallback (for tests).</summary>
    public bool Atomic { get; private set; }

    /// <summary>
    /// Starts the read; the first range queries are sent before this returns. <paramref name="betweenRounds"/> (tests)
    /// runs after each optimistic try's range queries have answered, with the try's number.
    /// </summary>
    public static Task<CityIndexRead> Start(IDatabase db, ParsedAddress?[] parsed, bool cluster, int optimisticAttempts = OptimisticAttempts, Action<int>? betweenRounds = null) =>
        new CityIndexRead(db, parsed, cluster, optimisticAttempts, betweenRounds).RunAsync();

    private async Task<CityIndexRead> RunAsync()
    {
        while (Attempts < optimisticAttempts)
        {
            if (await OptimisticAsync(++Attempts).ConfigureAwait(false)) return this;
        }
        await AtomicAsync().ConfigureAwait(false);
        return this;
    }

    private async Task<bool> OptimisticAsync(int attempt)
    {
        var blocksGeneration = GeoKeys.Physical(GeoKeys.IpToCityIdGeneration, cluster);
        var citiesGeneration = GeoKeys.Physical(GeoKeys.CityIdToCityGeneration, cluster);
        var batch = db.CreateBatch(); // queued, then written to the socket in one go
        var blocksBefore = batch.StringGetAsync(blocksGeneration);
        var citiesBefore = batch.StringGetAsync(citiesGeneration);
        var ranges = new Task<RedisValue[]>?[parsed.Length];
        var sent = new List<Task>(parsed.Length);
        for (var i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is not { } address) continue;
            var range = address.IsV6
                ? batch.SortedSetRangeByValueAsync(GeoKeys.Physical(GeoKeys.IpToCityIdV6, cluster), default, IpAddressScore.ToHex(address.V6) + "}", Exclude.Stop, Order.Descending, 0, 1)
                : batch.SortedSetRangeByScoreAsync(GeoKeys.IpToCityId, double.NegativeInfinity, address.V4, Exclude.None, Order.Descending, 0, 1);
            ranges[i] = range;
            sent.Add(range);
        }
        batch.Execute();
        await AllAnswered(sent).ConfigureAwait(false);
        betweenRounds?.Invoke(attempt);

        var v4 = new List<int>(parsed.Length);
        var found = new List<int>(parsed.Length);
        var members = new List<RedisValue>(parsed.Length);
        var ids = new List<RedisValue>(parsed.Length);
        for (var i = 0; i < parsed.Length; i++)
        {
            var result = ranges[i]?.Result;
            Members[i] = result is { Length: > 0 } ? result[0].ToString() : null;
            if (Members[i] is not { } member) continue;
            found.Add(i);
            ids.Add(CityIds[i] = CityLookup.CityIdOf(member, parsed[i]!.Value.IsV6));
            if (parsed[i]!.Value.IsV6) continue;
            v4.Add(i);
            members.Add(result![0]); // the reply's bytes, sent back as they came
        }
        var ends = HashGetInChunks(GeoKeys.Physical(GeoKeys.IpToCityIdEnds, cluster), members);
        var cities = HashGetInChunks(GeoKeys.CityIdToCity, ids);
        var blocksAfter = db.StringGetAsync(blocksGeneration);
        var citiesAfter = db.StringGetAsync(citiesGeneration);
        Fill(Ends, v4, await ends.ConfigureAwait(false));
        Fill(Cities, found, await cities.ConfigureAwait(false));
        return await blocksBefore.ConfigureAwait(false) == await blocksAfter.ConfigureAwait(false)
               && await citiesBefore.ConfigureAwait(false) == await citiesAfter.ConfigureAwait(false);
    }

    /// <summary>Blocks and ends in one script (atomic against a blocks swap), then the cities in one HMGET (atomic against a locations swap).</summary>
    private async Task AtomicAsync()
    {
        Atomic = true;
        var args = new List<RedisValue>(2 * parsed.Length);
        var asked = new List<int>(parsed.Length);
        for (var i = 0; i < parsed.Length; i++)
        {
            Members[i] = CityIds[i] = null;
            Ends[i] = Cities[i] = RedisValue.Null;
            if (parsed[i] is not { } address) continue;
            asked.Add(i);
            args.Add(address.IsV6 ? "6" : "4");
            args.Add(address.IsV6 ? "(" + IpAddressScore.ToHex(address.V6) + "}" : address.V4.ToString(CultureInfo.InvariantCulture));
        }
        var keys = new RedisKey[]
        {
            GeoKeys.IpToCityId, GeoKeys.Physical(GeoKeys.IpToCityIdEnds, cluster), GeoKeys.Physical(GeoKeys.IpToCityIdV6, cluster),
        };
        var reply = (RedisResult[])(await db.ScriptEvaluateAsync(AtomicScript, keys, args.ToArray()).ConfigureAwait(false))!;
        var found = new List<int>(asked.Count);
        var ids = new List<RedisValue>(asked.Count);
        for (var k = 0; k < asked.Count; k++)
        {
            var i = asked[k];
            if (reply[2 * k].IsNull) continue;
            var member = (string)reply[2 * k]!;
            Members[i] = member;
            Ends[i] = (RedisValue)reply[2 * k + 1];
            found.Add(i);
            ids.Add(CityIds[i] = CityLookup.CityIdOf(member, parsed[i]!.Value.IsV6));
        }
        if (ids.Count > 0) Fill(Cities, found, await db.HashGetAsync(GeoKeys.CityIdToCity, ids.ToArray()).ConfigureAwait(false));
    }

    /// <summary>
    /// <see cref="Task.WhenAll(IEnumerable{Task})"/> of the client's tasks, waking once: the client runs its tasks'
    /// continuations on the thread pool, so WhenAll over a batch's pending replies costs one thread-pool hop per
    /// reply. Replies on one connection complete in order, so once the last has, WhenAll finds the others done and
    /// completes at once; any still pending (another node of a cluster) it waits for, and it reports every failure.
    /// </summary>
    private static async Task AllAnswered(List<Task> sent)
    {
        if (sent.Count == 0) return;
        await sent[^1].ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(sent).ConfigureAwait(false);
    }

    private static void Fill(RedisValue[] target, List<int> at, RedisValue[] values)
    {
        for (var k = 0; k < at.Count; k++) target[at[k]] = values[k];
    }

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
}
