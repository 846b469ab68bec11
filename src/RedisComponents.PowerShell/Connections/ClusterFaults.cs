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
        if (IsStaleSlotMap(ex)) return true;
        var e = RedisFaults.Unwrap(ex);
        var message = e.Message ?? "";
        return e switch
        {
            RedisServerException => message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
                || IsRedirect(message),
            RedisConnectionException c => c.FailureType != ConnectionFailureType.AuthenticationFailure,
            RedisTimeoutException or TimeoutException => true,
            _ => false,
        };
    }

    /// <summary>
    /// True for cluster answers that guarantee nothing was applied, so any command or transaction may be sent
    /// again: TRYAGAIN, CLUSTERDOWN, MOVED/ASK the client did not follow, and EXECABORT (a transaction whose
    /// queued commands were refused, e.g. redirected during a failover, is discarded as a whole).
    /// </summary>
    public static bool NotApplied(Exception ex)
    {
        if (IsStaleSlotMap(ex)) return true;
        if (RedisFaults.Unwrap(ex) is not RedisException e) return false;
        var message = e.Message ?? "";
        return message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || IsRedirect(message)
            || message.StartsWith("EXECABORT", StringComparison.Ordinal);
    }

    /// <summary>
    /// The client's slot map still names a node that a failover turned into a replica: it refuses to send the
    /// command at all (nothing applied). Re-reading the slot map (<see cref="RefreshSlotMapAsync"/>) fixes it.
    /// </summary>
    public static bool IsStaleSlotMap(Exception ex)
    {
        for (Exception? e = RedisFaults.Unwrap(ex); e is not null; e = e.InnerException)
        {
            if ((e.Message ?? "").Contains("cannot be issued to a replica", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Re-reads the cluster's slot map after a stale-map failure (bounded by the connect timeout; failures ignored).</summary>
    public static async System.Threading.Tasks.Task RefreshSlotMapAsync(IConnectionMultiplexer mux)
    {
        try
        {
            await mux.ConfigureAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            // The next attempt reports what is wrong.
        }
    }

    /// <summary>A MOVED/ASK redirection the client did not follow (its transactions never follow one).</summary>
    public static bool IsRedirect(string message) =>
        message.StartsWith("MOVED", StringComparison.Ordinal) || message.StartsWith("ASK ", StringComparison.Ordinal)
        || message.Contains("Key has MOVED", StringComparison.Ordinal) || message.Contains("Key has ASK", StringComparison.Ordinal);

    /// <summary>A multi-key command or transaction that spans slots (the server's CROSSSLOT, or the client's own check).</summary>
    public static bool IsCrossSlot(Exception ex)
    {
        var message = RedisFaults.Unwrap(ex).Message ?? "";
        return message.StartsWith("CROSSSLOT", StringComparison.Ordinal)
            || message.Contains("Multi-key operations must involve a single slot", StringComparison.Ordinal);
    }
}
