using System;
using System.Collections.Generic;

namespace RedisComponents.RawCommands;

/// <summary>
/// What the module assumes when the server will not answer COMMAND INFO (an ACL user without +command, or
/// COMMAND renamed): the read-only commands below run without ShouldProcess, every other command is taken
/// as writing. Key positions (first, last, step) of common commands, for routing.
/// </summary>
internal static class CuratedCommands
{
    private static readonly HashSet<string> ReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "get", "mget", "getrange", "strlen", "exists", "type", "ttl", "pttl", "expiretime", "pexpiretime", "dump",
        "hget", "hmget", "hgetall", "hkeys", "hvals", "hlen", "hexists", "hstrlen", "hscan", "hrandfield",
        "lrange", "lindex", "llen", "lpos",
        "smembers", "sismember", "smismember", "scard", "sscan", "srandmember", "sinter", "sunion", "sdiff", "sintercard",
        "zrange", "zrangebyscore", "zrevrange", "zrevrangebyscore", "zrangebylex", "zrevrangebylex", "zscore", "zmscore",
        "zrank", "zrevrank", "zcard", "zcount", "zlexcount", "zscan", "zrandmember",
        "xrange", "xrevrange", "xlen", "xread", "bitcount", "bitpos", "getbit", "pfcount", "geopos", "geodist", "geosearch", "geohash",
        "scan", "keys", "randomkey", "dbsize", "ping", "echo", "time", "info", "lastsave", "role", "memory|usage", "object|encoding",
        "object|freq", "object|idletime", "object|refcount", "client|list", "client|info", "client|getname", "client|id",
        "config|get", "slowlog|get", "slowlog|len", "command|count", "command|info", "command|docs", "command|getkeys", "acl|whoami",
    };

    // (first, last, step) of commands with keys; anything not listed here is sent without keys.
    private static readonly Dictionary<string, (int First, int Last, int Step)> KeySpecs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mget"] = (1, -1, 1), ["del"] = (1, -1, 1), ["unlink"] = (1, -1, 1), ["exists"] = (1, -1, 1), ["touch"] = (1, -1, 1),
        ["mset"] = (1, -1, 2), ["msetnx"] = (1, -1, 2), ["sinter"] = (1, -1, 1), ["sunion"] = (1, -1, 1), ["sdiff"] = (1, -1, 1),
        ["rename"] = (1, 2, 1), ["renamenx"] = (1, 2, 1), ["copy"] = (1, 2, 1), ["smove"] = (1, 2, 1), ["lmove"] = (1, 2, 1),
        ["rpoplpush"] = (1, 2, 1), ["pfcount"] = (1, -1, 1), ["pfmerge"] = (1, -1, 1), ["watch"] = (1, -1, 1),
    };

    private static readonly HashSet<string> Keyless = new(StringComparer.OrdinalIgnoreCase)
    {
        "scan", "keys", "randomkey", "dbsize", "ping", "echo", "time", "info", "lastsave", "role", "flushdb", "flushall", "save",
        "bgsave", "bgrewriteaof", "select", "swapdb", "auth", "hello", "client", "config", "slowlog", "command", "acl", "memory",
        "object", "script", "function", "eval", "evalsha", "fcall", "publish", "subscribe", "multi", "exec", "discard", "wait",
        "debug", "shutdown", "replicaof", "slaveof", "latency", "module", "monitor", "quit", "reset", "failover", "cluster", "readonly",
        "readwrite", "xread", "xreadgroup", "zunionstore", "zinterstore", "zdiffstore", "zunion", "zinter", "zdiff", "sort", "migrate",
        "geosearchstore", "georadius", "lmpop", "blmpop", "zmpop", "bzmpop", "sintercard",
    };

    public static CommandTraits For(string name)
    {
        var writes = !ReadOnly.Contains(name);
        var baseName = name.Split('|')[0];
        var (first, last, step) = KeySpecs.TryGetValue(baseName, out var spec) ? spec : Keyless.Contains(baseName) ? (0, 0, 0) : (1, 1, 1);
        return new CommandTraits(name, writes, first, last, step, movableKeys: false, Array.Empty<string>(), fromServer: false);
    }
}
