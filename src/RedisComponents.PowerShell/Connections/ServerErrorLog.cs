using System;
using System.Runtime.CompilerServices;
using System.Threading;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// The server's error replies a multiplexer saw, newest last. The client hides some of them: a command that
/// MULTI refused to queue (NOPERM, READONLY, OOM) surfaces only as EXECABORT, and a denied WATCH or condition
/// command is reported as a failed condition.
/// (A refused WATCH is not reported at all, not even here: README's ACL table lists it as required.) The module reads them here to say what actually happened.
/// </summary>
internal sealed class ServerErrorLog
{
    private const int Size = 16;
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, ServerErrorLog> Logs = new();
    private readonly (long Seq, long Ticks, string Message)[] ring = new (long, long, string)[Size];
    private readonly object gate = new();
    private long seq;

    /// <summary>Starts recording the server errors of <paramref name="mux"/>.</summary>
    public static void Attach(ConnectionMultiplexer mux)
    {
        var log = Logs.GetValue(mux, _ => new ServerErrorLog());
        mux.ErrorMessage += (_, e) => log.Add(e.Message);
    }

    /// <summary>The log of a multiplexer made by the module, or null.</summary>
    public static ServerErrorLog? For(IConnectionMultiplexer? mux) =>
        mux is not null && Logs.TryGetValue(mux, out var log) ? log : null;

    /// <summary>
    /// What the server said for <paramref name="message"/>: for an EXECABORT, the refusal that made MULTI
    /// discard the transaction (when the log has one from the last seconds); otherwise the message itself.
    /// </summary>
    public static string Explain(string message, IConnectionMultiplexer? mux)
    {
        if (!message.Contains("EXECABORT", StringComparison.Ordinal) || For(mux) is not { } log) return message;
        // The client raises ErrorMessage on another thread, which may run just after the EXECABORT reached the
        // caller (a synchronous EXEC classifies at once): on this error path only, wait a moment for it.
        var deadline = Environment.TickCount64 + RefusalWaitMilliseconds;
        while (true)
        {
            if (log.RecentRefusal() is { } refusal) return refusal;
            if (Environment.TickCount64 >= deadline) return message;
            Thread.Sleep(5);
        }
    }

    /// <summary>How long an EXECABORT's explanation waits for the refusal the client reports on another thread.</summary>
    private const int RefusalWaitMilliseconds = 250;

    /// <summary>A position: errors recorded after it are "since" it.</summary>
    public long Mark => Interlocked.Read(ref seq);

    private void Add(string? message)
    {
        if (string.IsNullOrEmpty(message) || message.StartsWith("EXECABORT", StringComparison.Ordinal)) return;
        lock (gate)
        {
            var n = ++seq;
            ring[n % Size] = (n, Environment.TickCount64, message);
        }
    }

    /// <summary>The newest error recorded after <paramref name="mark"/> that the server refuses before running a command (NOPERM, READONLY, OOM...), or null.</summary>
    public string? RefusalSince(long mark)
    {
        lock (gate)
        {
            for (var n = seq; n > mark && n > seq - Size; n--)
            {
                var (s, _, message) = ring[n % Size];
                if (s == n && IsRefusal(message)) return message;
            }
        }
        return null;
    }

    /// <summary>The newest refusal of the last few seconds (for an EXECABORT whose start is not known), or null.</summary>
    public string? RecentRefusal(int withinMilliseconds = 5000)
    {
        var now = Environment.TickCount64;
        lock (gate)
        {
            for (var n = seq; n > 0 && n > seq - Size; n--)
            {
                var (s, ticks, message) = ring[n % Size];
                if (s != n || now - ticks > withinMilliseconds) break;
                if (IsRefusal(message)) return message;
            }
        }
        return null;
    }

    private static bool IsRefusal(string message) =>
        message.StartsWith("NOPERM", StringComparison.Ordinal) || message.StartsWith("READONLY", StringComparison.Ordinal) ||
        message.StartsWith("OOM", StringComparison.Ordinal) || message.StartsWith("MISCONF", StringComparison.Ordinal) ||
        message.StartsWith("ERR unknown command", StringComparison.Ordinal);

    /// <summary>
    /// Runs a transaction that has conditions: false when a condition failed, as the client says; but when
    /// the server refused one of its commands (a WATCH or condition command denied by the ACL, which the
    /// client takes as a failed condition or ignores), throws that refusal as a <see cref="RedisServerException"/>.
    /// </summary>
    public static bool Execute(IDatabase db, ITransaction tran)
    {
        var log = For(db.Multiplexer);
        var mark = log?.Mark ?? 0;
        var done = tran.Execute();
        if (log?.RefusalSince(mark) is { } refusal) throw new RedisServerException(refusal);
        return done;
    }

}
