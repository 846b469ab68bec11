using System.Collections.Generic;
using System.Linq;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Configuration;

/// <summary>
/// Book 5.4.2 <c>set_config</c> / <c>get_config</c>: one JSON string per component under
/// <c>config:&lt;type&gt;:&lt;component&gt;</c> on the config server.
/// </summary>
public static class ConfigStore
{
    public const string RedisType = "redis";
    private const int ScanPageSize = 500;

    public static string KeyFor(string type, string component) => $"config:{type}:{component}";

    public static string? Read(IDatabase db, string type, string component) => db.StringGet(KeyFor(type, component));

    public static void Write(IDatabase db, string type, string component, string json) => db.StringSet(KeyFor(type, component), json);

    public static bool Remove(IDatabase db, string type, string component) => db.KeyDelete(KeyFor(type, component));

    /// <summary>Component names of a type, found with SCAN (never KEYS), optionally only those starting with a prefix.</summary>
    /// <summary>The names of a type's configs: SCAN on every given server (on a cluster: every primary).</summary>
    public static IEnumerable<string> ListComponents(IReadOnlyList<IServer> servers, int database, string type, string prefix = "", int limit = int.MaxValue)
    {
        var keyPrefix = $"config:{type}:";
        var pattern = RedisGlob.Escape(keyPrefix + prefix) + "*";
        return servers.SelectMany(server => server.Keys(database, pattern, ScanPageSize))
            .Select(k => ((string)k!).Substring(keyPrefix.Length))
            .Distinct()
            .Take(limit);
    }

    /// <summary>
    /// All configs of a type, read in MGET batches after the SCAN; on a cluster (where the keys live in many
    /// slots and MGET would be refused as CROSSSLOT) as pipelined GETs, each routed to its key's node.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> ReadAll(IReadOnlyList<IServer> servers, IDatabase db, string type, bool cluster = false)
    {
        foreach (var chunk in ListComponents(servers, db.Database, type).Chunk(ScanPageSize))
        {
            var keys = chunk.Select(c => (RedisKey)KeyFor(type, c)).ToArray();
            RedisValue[] values;
            if (cluster)
            {
                var reads = keys.Select(k => db.StringGetAsync(k)).ToArray();
                values = db.Wait(System.Threading.Tasks.Task.WhenAll(reads));
            }
            else
            {
                values = db.StringGet(keys);
            }
            for (var i = 0; i < chunk.Length; i++)
            {
                if (!values[i].IsNull) yield return new(chunk[i], (string)values[i]!);
            }
        }
    }
}
