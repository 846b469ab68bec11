using System;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace RedisComponents.Tests.Cluster;

/// <summary>Topology changes for fault tests: a primary failover and a slot migration.</summary>
public sealed partial class TestCluster
{
    /// <summary>Node id of the node on <paramref name="port"/>.</summary>
    public static string NodeId(int port) => Cli(port, "CLUSTER", "MYID").Trim();

    /// <summary>A replica of the primary on <paramref name="primaryPort"/>.</summary>
    public int ReplicaOf(int primaryPort)
    {
        var id = NodeId(primaryPort);
        foreach (var line in Cli(Ports[0], "CLUSTER", "NODES").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Trim().Split(' ');
            if (f.Length > 3 && f[2].Contains("slave", StringComparison.Ordinal) && f[3] == id && !f[2].Contains("fail", StringComparison.Ordinal))
            {
                return int.Parse(f[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no replica of {primaryPort}");
    }

    /// <summary>CLUSTER FAILOVER on a replica of <paramref name="primaryPort"/>; returns the new primary's port once every node agrees.</summary>
    public int FailOver(int primaryPort)
    {
        var replica = ReplicaOf(primaryPort);
        var reply = Cli(replica, "CLUSTER", "FAILOVER").Trim();
        if (reply != "OK") throw new InvalidOperationException("CLUSTER FAILOVER: " + reply);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Cli(replica, "ROLE").StartsWith("master", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"replica {replica} did not take over from {primaryPort}");
            Thread.Sleep(20);
        }
        WaitHealthy();
        DropAdmin();
        return replica;
    }

    /// <summary>
    /// Moves one slot from its primary to <paramref name="targetPort"/> the way redis-cli --cluster reshard does:
    /// IMPORTING/MIGRATING, MIGRATE of its keys in small steps (<paramref name="between"/> runs between steps), then SETSLOT NODE everywhere.
    /// </summary>
    public void MigrateSlot(int slot, int sourcePort, int targetPort, Action? between = null)
    {
        var source = NodeId(sourcePort);
        var target = NodeId(targetPort);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        Expect(Cli(targetPort, "CLUSTER", "SETSLOT", slotText, "IMPORTING", source));
        Expect(Cli(sourcePort, "CLUSTER", "SETSLOT", slotText, "MIGRATING", target));
        between?.Invoke();
        while (true)
        {
            var keys = Cli(sourcePort, "CLUSTER", "GETKEYSINSLOT", slotText, "2").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(k => k.Trim()).Where(k => k.Length > 0).ToArray();
            if (keys.Length == 0) break;
            var migrate = Cli(sourcePort, new[] { "MIGRATE", "127.0.0.1", targetPort.ToString(CultureInfo.InvariantCulture), "", "0", "5000", "REPLACE", "KEYS" }.Concat(keys).ToArray()).Trim();
            if (migrate != "OK" && migrate != "NOKEY") throw new InvalidOperationException("MIGRATE: " + migrate);
            between?.Invoke();
        }
        foreach (var port in PrimaryPorts()) Cli(port, "CLUSTER", "SETSLOT", slotText, "NODE", target);
        WaitHealthy();
        DropAdmin();
    }

    private static void Expect(string reply)
    {
        if (reply.Trim() != "OK") throw new InvalidOperationException("cluster command failed: " + reply);
    }
}
