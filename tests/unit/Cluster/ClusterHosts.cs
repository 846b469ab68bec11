using System;
using System.Linq;
using System.Threading;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>Sessions whose component 'app' names the shared test cluster (config server: the shared standalone Redis).</summary>
internal static class ClusterHosts
{
    private static int counter;

    /// <summary>A unique name, so tests on the shared cluster never see each other's keys.</summary>
    /// <remarks>
    /// The random tail keeps the names' hash slots independent: names that differ only in a counter and a clock
    /// reading have correlated CRC16s, and 30 of them missed one of the 3 primaries about once in 550 draws (a
    /// simulation of this format), failing the tests that check a layout spreads over every node.
    /// </remarks>
    public static string Unique(string stem) => $"{stem}{Interlocked.Increment(ref counter)}x{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>A session with component <paramref name="component"/> pointing at one cluster node (discovery).</summary>
    public static PsHost Session(string component = "app", string? json = null)
    {
        var cluster = TestCluster.Shared;
        var ps = new PsHost(TestRedis.Shared.Endpoint);
        json ??= $"{{\"host\": \"127.0.0.1\", \"port\": {cluster.Ports[0]}}}";
        var name = Unique(component + "cfg");
        ps.Run("Set-RedisComponentConfig -Component $c -Config $j", new() { ["c"] = name, ["j"] = json }).ThrowIfFailed();
        ps.Run("$global:PSDefaultParameterValues['*-Redis*:Component'] = $c", new() { ["c"] = name }).ThrowIfFailed();
        ps.Runspace.SessionStateProxy.SetVariable("component", name);
        return ps;
    }

    public static string StartupNodesJson(params int[] ports) =>
        "{\"startup_nodes\": [" + string.Join(", ", ports.Select(p => $"{{\"host\": \"127.0.0.1\", \"port\": {p}}}")) + "]}";
}
