using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>
/// Sorts the exceptions a Redis call can end in: an outage (no connection, no answer in time, busy,
/// loading), a bad config (WRONGTYPE config key, a db the server lacks), or a command the server refused.
/// Reasons are short phrases for the module's own messages; the client's diagnostics never appear in them.
/// </summary>
public static class RedisFaults
{
    /// <summary>What a call on a connection known to be down is told.</summary>
    public const string DownReason = "its connection is down; calls fail at once until the module's background reconnect succeeds";

    /// <summary>The exception that matters inside the wrappers of composed waits.</summary>
    public static Exception Unwrap(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: > 0 } agg) ex = agg.InnerExceptions[0];
        return ex;
    }

    public static bool IsWrongType(Exception ex) =>
        Unwrap(ex) is RedisServerException e && e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal);

    /// <summary>The client's own check of a db number against the server's <c>databases</c>.</summary>
    public static bool IsMissingDatabase(Exception ex) =>
        Unwrap(ex) is RedisException e && (e.Message.Contains("database does not exist", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("DB index is out of range", StringComparison.Ordinal));

    /// <summary>
    /// Why the server cannot serve now (a phrase), or null when the exception is not an outage: a refused
    /// command, a programming error. BUSY and LOADING are outages: the server answers nothing else until done.
    /// </summary>
    public static string? OutageReason(Exception ex)
    {
        var e = Unwrap(ex);
        var message = e.Message ?? "";
        return e switch
        {
            RedisServerException when message.StartsWith("BUSY", StringComparison.Ordinal) =>
                "it is busy running a script (BUSY); it answers again when the script ends or is killed with SCRIPT KILL",
            RedisServerException when message.StartsWith("LOADING", StringComparison.Ordinal) =>
                "it is still loading its dataset into memory (LOADING)",
            RedisServerException when message.StartsWith("MASTERDOWN", StringComparison.Ordinal) =>
                "its master is down (MASTERDOWN)",
            RedisServerException when message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) =>
                "the cluster is down or a slot is not served (CLUSTERDOWN), e.g. during a failover; retry when the cluster state is ok again",
            RedisServerException when message.StartsWith("TRYAGAIN", StringComparison.Ordinal) =>
                "a slot is being migrated between nodes (TRYAGAIN); retry when the resharding is done",
            _ when ClusterFaults.IsStaleSlotMap(e) =>
                "a cluster failover made the node serving the key a replica and the module is re-reading the slot map; retry",
            RedisException when ClusterFaults.IsRedirect(message) =>
                "the cluster's slot map kept changing (MOVED/ASK redirections during a resharding or failover); retry when it is stable",
            RedisConnectionException c when c.FailureType == ConnectionFailureType.AuthenticationFailure =>
                "it rejected the credentials",
            RedisConnectionException => "there is no connection to it (the module keeps reconnecting in the background)",
            RedisTimeoutException or TimeoutException => "it did not answer within the timeout",
            TaskCanceledException or OperationCanceledException => "it did not answer within the timeout",
            // System.IO.Pipelines, when the client tears a connection down under a waiting command.
            InvalidOperationException when IsClosedPipe(message) => "the connection closed while waiting for its answer",
            ObjectDisposedException => "the connection closed while waiting for its answer",
            _ => null,
        };
    }

    /// <summary>True for every exception a Redis call can end in that the module classifies.</summary>
    public static bool IsRedisFailure(Exception ex)
    {
        var e = Unwrap(ex);
        return e is RedisException or TimeoutException or ComponentException || OutageReason(e) is not null;
    }

    private static bool IsClosedPipe(string message) =>
        message.Contains("reader was completed", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("writer was completed", StringComparison.OrdinalIgnoreCase);
}
