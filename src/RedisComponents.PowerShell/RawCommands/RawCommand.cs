using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.RawCommands;

/// <summary>
/// One command ready to send on a component's shared multiplexer: its traits, and its arguments with the
/// key positions as <see cref="RedisKey"/> (how StackExchange.Redis routes a command on a cluster).
/// </summary>
public sealed class RawCommand
{
    private const string Transaction = "a transaction on a shared connection would take in other commands; use a script (EVAL) instead";
    private const string Database = "it would switch the database of every command sharing the connection; the component's config names the database";
    private const string PubSub = "Pub/Sub and MONITOR need a connection of their own";
    private const string Blocking = "a blocking command would stall every command sharing the connection";
    private const string Connection = "it would close or reset the connection every command shares";
    private const string Credentials = "credentials belong in the component's config (Set-RedisComponentConfig)";

    // Commands that would block or change the state of the connection that every command of the process shares.
    private static readonly Dictionary<string, string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        ["multi"] = Transaction, ["exec"] = Transaction, ["discard"] = Transaction, ["watch"] = Transaction, ["unwatch"] = Transaction,
        ["select"] = Database, ["swapdb"] = Database,
        ["subscribe"] = PubSub, ["psubscribe"] = PubSub, ["ssubscribe"] = PubSub, ["unsubscribe"] = PubSub, ["punsubscribe"] = PubSub,
        ["sunsubscribe"] = PubSub, ["monitor"] = PubSub,
        ["blpop"] = Blocking, ["brpop"] = Blocking, ["brpoplpush"] = Blocking, ["blmove"] = Blocking, ["blmpop"] = Blocking,
        ["bzpopmin"] = Blocking, ["bzpopmax"] = Blocking, ["bzmpop"] = Blocking, ["wait"] = Blocking, ["waitaof"] = Blocking,
        ["quit"] = Connection, ["reset"] = Connection, ["auth"] = Credentials, ["hello"] = Credentials,
    };

    private RawCommand(string name, CommandTraits traits, object[] arguments, IReadOnlyList<string> keys)
    {
        Name = name;
        Traits = traits;
        Arguments = arguments;
        Keys = keys;
    }

    public string Name { get; }
    public CommandTraits Traits { get; }
    public object[] Arguments { get; }
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Why the module does not send this command through a shared connection, or null.</summary>
    public static string? RefusalReason(string command, IReadOnlyList<object?> arguments)
    {
        if (Refused.TryGetValue(command, out var reason)) return reason;
        var isStreamRead = command.Equals("xread", StringComparison.OrdinalIgnoreCase) || command.Equals("xreadgroup", StringComparison.OrdinalIgnoreCase);
        return isStreamRead && arguments.Any(a => string.Equals(RedisResultConverter.ToText(a), "block", StringComparison.OrdinalIgnoreCase)) ? Blocking : null;
    }

    /// <summary>Looks the command up (COMMAND INFO, cached per multiplexer) and marks its keys.</summary>
    public static RawCommand Prepare(IDatabase db, string command, IReadOnlyList<object?> arguments)
    {
        var texts = arguments.Select(RedisResultConverter.ToText).ToArray();
        var traits = CommandInfoCache.For(db, command, texts);
        var keyIndexes = traits.MovableKeys ? MovableKeyIndexes(db, command, arguments, texts) : traits.KeyIndexes(arguments.Count);
        var keySet = new HashSet<int>(keyIndexes.Where(i => i >= 0 && i < arguments.Count));
        var sent = new object[arguments.Count];
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = RedisResultConverter.ToValue(arguments[i]);
            sent[i] = keySet.Contains(i) ? (RedisKey)(byte[])value! : value;
        }
        return new RawCommand(command, traits, sent, keySet.OrderBy(i => i).Select(i => texts[i]).ToArray());
    }

    public Task<RedisResult> ExecuteAsync(IDatabase db) => db.ExecuteAsync(Name, Arguments);

    // EVAL, ZUNIONSTORE, SORT ... STORE: the server computes the keys (COMMAND GETKEYS); none when it cannot.
    private static IReadOnlyList<int> MovableKeyIndexes(IDatabase db, string command, IReadOnlyList<object?> arguments, string[] texts)
    {
        try
        {
            var request = new object[arguments.Count + 2];
            request[0] = "GETKEYS";
            request[1] = command;
            for (var i = 0; i < arguments.Count; i++) request[i + 2] = RedisResultConverter.ToValue(arguments[i]);
            var keys = ((RedisResult[])db.Execute("COMMAND", request)!).Select(k => (string?)k).ToArray();
            var indexes = new List<int>();
            var from = 0;
            foreach (var key in keys)
            {
                var at = Array.FindIndex(texts, from, t => t == key);
                if (at < 0) continue;
                indexes.Add(at);
                from = at + 1;
            }
            return indexes;
        }
        catch (RedisServerException)
        {
            return Array.Empty<int>();
        }
    }
}
