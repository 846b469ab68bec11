using System;
using System.Collections.Generic;

namespace RedisComponents.RawCommands;

/// <summary>
/// What the module needs to know about a Redis command before sending it: whether it writes (so it asks
/// ShouldProcess) and which of its arguments are keys (sent as keys, so a cluster could route them).
/// From the server's COMMAND INFO, else from <see cref="CuratedCommands"/>.
/// </summary>
public sealed class CommandTraits
{
    public CommandTraits(string name, bool writes, int firstKey, int lastKey, int keyStep, bool movableKeys, IReadOnlyCollection<string> flags, bool fromServer)
    {
        Name = name;
        Writes = writes;
        FirstKey = firstKey;
        LastKey = lastKey;
        KeyStep = keyStep;
        MovableKeys = movableKeys;
        Flags = flags;
        FromServer = fromServer;
    }

    /// <summary>The command (or "container|subcommand") in lower case.</summary>
    public string Name { get; }

    /// <summary>True when the command may change data or the server (flags write, or admin without readonly).</summary>
    public bool Writes { get; }

    /// <summary>1-based position of the first key among the command's words (the command itself is 0); 0 = no key.</summary>
    public int FirstKey { get; }

    /// <summary>Position of the last key; negative counts from the end (-1 = the last argument).</summary>
    public int LastKey { get; }

    public int KeyStep { get; }

    /// <summary>The keys' positions depend on the arguments (EVAL, ZUNIONSTORE...): ask COMMAND GETKEYS.</summary>
    public bool MovableKeys { get; }

    public IReadOnlyCollection<string> Flags { get; }

    /// <summary>False when the server would not say (COMMAND not permitted) and the curated list answered.</summary>
    public bool FromServer { get; }

    /// <summary>0-based indexes into the arguments (the words after the command) that are keys, by first/last/step.</summary>
    public IReadOnlyList<int> KeyIndexes(int argumentCount)
    {
        var keys = new List<int>();
        if (FirstKey <= 0 || KeyStep <= 0) return keys;
        var last = LastKey < 0 ? argumentCount + 1 + LastKey : LastKey;
        last = Math.Min(last, argumentCount);
        for (var position = FirstKey; position <= last; position += KeyStep) keys.Add(position - 1);
        return keys;
    }

    /// <summary>The book's rule from COMMAND INFO flags: write, or admin without readonly, needs ShouldProcess.</summary>
    public static bool FlagsWrite(IReadOnlyCollection<string> flags) =>
        Contains(flags, "write") || (Contains(flags, "admin") && !Contains(flags, "readonly"));

    private static bool Contains(IReadOnlyCollection<string> flags, string flag)
    {
        foreach (var f in flags)
        {
            if (string.Equals(f, flag, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
