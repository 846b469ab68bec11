using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace RedisComponents.RawCommands;

/// <summary>
/// COMMAND INFO of each command, asked once per multiplexer (so once per connection of the pool) and
/// cached for its lifetime; the curated list answers when the server refuses COMMAND (NOPERM, renamed).
/// </summary>
internal static class CommandInfoCache
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, ConcurrentDictionary<string, Entry>> Caches = new();

    private sealed record Entry(CommandTraits? Traits, bool HasSubcommands);

    /// <summary>The traits of a command with its arguments (a container's subcommand is looked up as "config|get").</summary>
    public static CommandTraits For(IDatabase db, string command, IReadOnlyList<string> arguments)
    {
        var cache = Caches.GetValue(db.Multiplexer, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        var name = command.ToLowerInvariant();
        var main = Lookup(db, cache, name);
        if (main.HasSubcommands && arguments.Count > 0)
        {
            var sub = Lookup(db, cache, name + "|" + arguments[0].ToLowerInvariant());
            // A subcommand's positions count from the container's name, as the arguments here do.
            if (sub.Traits is not null) return sub.Traits;
        }
        return main.Traits ?? CuratedCommands.For(name);
    }

    private static Entry Lookup(IDatabase db, ConcurrentDictionary<string, Entry> cache, string name)
    {
        if (cache.TryGetValue(name, out var cached)) return cached;
        Entry entry;
        try
        {
            var reply = db.Execute("COMMAND", "INFO", name);
            var items = reply.Resp2Type == ResultType.Array ? (RedisResult[])reply! : Array.Empty<RedisResult>();
            // Unknown to the server: no keys to mark, and counted as writing (the server will say what it is).
            entry = items.Length == 1 && !items[0].IsNull ? Parse(name, (RedisResult[])items[0]!)
                : new Entry(new CommandTraits(name, writes: true, 0, 0, 0, movableKeys: false, Array.Empty<string>(), fromServer: true), false);
        }
        catch (RedisServerException)
        {
            // NOPERM, or COMMAND renamed away: the curated list decides (not cached as the server's word).
            entry = new Entry(CuratedCommands.For(name), name.Contains('|') ? false : IsCuratedContainer(name));
        }
        cache[name] = entry;
        return entry;
    }

    private static Entry Parse(string name, RedisResult[] info)
    {
        var flags = ((RedisResult[])info[2]!).Select(f => (string?)f ?? "").ToArray();
        var first = (int)info[3];
        var last = (int)info[4];
        var step = (int)info[5];
        var movable = flags.Contains("movablekeys", StringComparer.OrdinalIgnoreCase);
        var hasSubcommands = info.Length > 9 && info[9].Resp2Type == ResultType.Array && ((RedisResult[])info[9]!).Length > 0;
        var traits = new CommandTraits(name, CommandTraits.FlagsWrite(flags), first, last, step, movable, flags, fromServer: true);
        return new Entry(traits, hasSubcommands);
    }

    private static bool IsCuratedContainer(string name) =>
        name is "config" or "client" or "object" or "memory" or "slowlog" or "command" or "acl" or "script" or "function" or "xinfo" or "xgroup" or "cluster" or "latency" or "module" or "pubsub";
}
