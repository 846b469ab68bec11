using System;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>Cluster answers that mean "not now" rather than "no".</summary>
internal static class ClusterFaults
{
    /// <summary>
    /// True for failures after which sending the same idempotent command again is right: TRYAGAIN (slot
    /// migrating), CLUSTERDOWN (failover in progress), redirections the client could not follow, a lost
    /// connection or reply.
    /// </summary>
    public static bool IsTransient(Exception ex)
    {
        var e = RedisFaults.Unwrap(ex);
        var message = e.Message ?? "";
        return e switch
        {
            RedisServerException => message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
                || message.StartsWith("MOVED", StringComparison.Ordinal) || message.StartsWith("ASK ", StringComparison.Ordinal),
            RedisConnectionException c => c.FailureType != ConnectionFailureType.AuthenticationFailure,
            RedisTimeoutException or TimeoutException => true,
            _ => false,
        };
    }

    /// <summary>A multi-key command or transaction that spans slots (the server's CROSSSLOT, or the client's own check).</summary>
    public static bool IsCrossSlot(Exception ex)
    {
        var message = RedisFaults.Unwrap(ex).Message ?? "";
        return message.StartsWith("CROSSSLOT", StringComparison.Ordinal)
            || message.Contains("Multi-key operations must involve a single slot", StringComparison.Ordinal);
    }
}
