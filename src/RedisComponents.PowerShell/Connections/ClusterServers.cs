using System.Collections.Generic;
using System.Linq;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>Which servers a whole-keyspace walk (SCAN) must visit.</summary>
internal static class ClusterServers
{
    /// <summary>
    /// The one server of a standalone connection; on a cluster every primary (each holds its own slots).
    /// A primary that is not connected stays in the list, so its SCAN fails with a classified error instead of
    /// the listing silently missing that node's keys.
    /// </summary>
    public static IReadOnlyList<IServer> ScanTargets(IConnectionMultiplexer mux, bool cluster)
    {
        var endpoints = mux.GetEndPoints();
        if (!cluster) return new[] { mux.GetServer(endpoints[0]) };
        return endpoints.Select(e => mux.GetServer(e)).Where(s => !s.IsReplica).ToList();
    }

    /// <summary>Nodes a connection knows: 1 for a single server, primaries and replicas on a cluster (0 once closed).</summary>
    public static int NodeCount(MultiplexerLease lease)
    {
        try
        {
            return lease.IsCluster ? lease.Multiplexer.GetEndPoints().Length : 1;
        }
        catch (System.ObjectDisposedException)
        {
            return 0;
        }
    }
}
