using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// Tests that use the shared cluster run in this collection, one at a time (failover and slot migration
/// change its topology for everybody); the cluster itself is started once per test process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Redis Cluster";
}

/// <summary>
/// A real Redis Cluster on loopback: 3 primaries with one replica each, from redis-server (cluster-enabled,
/// own directory and nodes file per node), created with <c>redis-cli --cluster create</c>. Started once
/// per test process (<see cref="Shared"/>), killed and its directories removed at process exit.
/// </summary>
public sealed partial class TestCluster : IDisposable
{
    private const int Nodes = 6;
    private static readonly Lazy<TestCluster> SharedCluster = new(() => new TestCluster(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentBag<TestCluster> Started = new();

    private readonly List<int> started = new();
    private readonly string root;
    private ConnectionMultiplexer? admin;

    static TestCluster()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var c in Started) c.Dispose();
        };
    }

    public static TestCluster Shared => SharedCluster.Value;

    public IReadOnlyList<int> Ports { get; }

    /// <summary>The seed a discovery config names (any node works).</summary>
    public string SeedEndpoint => "127.0.0.1:" + Ports[0].ToString(CultureInfo.InvariantCulture);

    private TestCluster()
    {
        Started.Add(this);
        Ports = FreePorts(Nodes);
        root = Path.Combine(Path.GetTempPath(), "redis-components-cluster", Ports[0].ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        try
        {
            foreach (var port in Ports) StartNode(port);
            var create = ChildProcess.Run("redis-cli",
                new[] { "--cluster", "create" }.Concat(Ports.Select(p => "127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)))
                    .Concat(new[] { "--cluster-replicas", "1", "--cluster-yes" }), TimeSpan.FromSeconds(60));
            if (create.ExitCode != 0) throw new InvalidOperationException("redis-cli --cluster create failed: " + create.All);
            WaitHealthy(TimeSpan.FromSeconds(60));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void StartNode(int port)
    {
        var dir = Path.Combine(root, port.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        // Detached (setsid -f) behind a small shell watchdog, outside this process's tree: the test host is often
        // killed at the end of a run, tree and all, without running exit handlers; the watchdog then stops the
        // node within a second. Dispose shuts the nodes down by port (SHUTDOWN NOSAVE).
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("redis-server \"$@\" & r=$!; " +
                             "while kill -0 \"$TEST_PID\" 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 1; done; kill $r 2>/dev/null; wait $r");
        psi.ArgumentList.Add("sh");
        psi.Environment["TEST_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var arg in new[]
                 {
                     "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "no",
                     "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(dir, "nodes.conf"), "--cluster-node-timeout", "2000",
                     "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--logfile", Path.Combine(dir, "redis.log"),
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        psi.RedirectStandardOutput = false;
        psi.RedirectStandardError = false;
        using (var process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start."))
        {
            process.WaitForExit(5000); // setsid -f returns at once
        }
        started.Add(port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Cli(port, "PING").Trim() != "PONG")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"cluster node {port} did not start");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits until every node says cluster_state:ok, knows all nodes, agrees on the slot map and replicas are in sync.</summary>
    public void WaitHealthy(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var infos = Ports.Select(p => Cli(p, "CLUSTER", "INFO")).ToList();
            var maps = Ports.Select(p => SlotMap(Cli(p, "CLUSTER", "NODES"))).ToList();
            var synced = Ports.All(p =>
            {
                var repl = Cli(p, "INFO", "replication");
                return repl.Contains("role:master", StringComparison.Ordinal) || repl.Contains("master_link_status:up", StringComparison.Ordinal);
            });
            if (infos.All(i => i.Contains("cluster_state:ok", StringComparison.Ordinal) && i.Contains("cluster_known_nodes:" + Nodes, StringComparison.Ordinal)
                               && i.Contains("cluster_slots_ok:16384", StringComparison.Ordinal))
                && maps.Distinct(StringComparer.Ordinal).Count() == 1 && maps[0].Length > 0 && synced)
            {
                return;
            }
            last = string.Join(" | ", infos.Select(i => i.Split('\n').FirstOrDefault()?.Trim()));
            Thread.Sleep(50);
        }
        throw new TimeoutException("The test cluster did not become healthy: " + last);
    }

    /// <summary>"primary port: slot ranges" lines of CLUSTER NODES, sorted: equal on every node once they agree.</summary>
    private static string SlotMap(string nodes) => string.Join(";", nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Trim().Split(' '))
        .Where(f => f.Length > 8 && f[2].Contains("master", StringComparison.Ordinal))
        .Select(f => f[1].Split('@')[0] + "=" + string.Join(",", f.Skip(8)))
        .OrderBy(s => s, StringComparer.Ordinal));

    /// <summary>redis-cli against one node (no -c: answers as that node sees it).</summary>
    public static string Cli(int port, params string[] args)
    {
        try
        {
            var r = ChildProcess.Run("redis-cli", new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) }.Concat(args), TimeSpan.FromSeconds(20));
            return r.Output;
        }
        catch (TimeoutException)
        {
            return "";
        }
    }

    /// <summary>A cluster-aware admin connection for assertions (not through the module).</summary>
    public IConnectionMultiplexer Admin => admin ??= ConnectionMultiplexer.Connect(new ConfigurationOptions
    {
        EndPoints = { SeedEndpoint },
        AllowAdmin = true,
        ClientName = "tests-admin",
        ConnectTimeout = 5000,
        SyncTimeout = 5000,
        AbortOnConnectFail = false,
    });

    public IDatabase Db => Admin.GetDatabase();

    /// <summary>A new admin connection after a topology change (a fresh slot map; the old one may still name the demoted primary).</summary>
    internal void DropAdmin()
    {
        admin?.Dispose();
        admin = null;
    }

    /// <summary>Ports of the current primaries (they change after a failover).</summary>
    public IReadOnlyList<int> PrimaryPorts() => Ports.Where(p => Cli(p, "ROLE").StartsWith("master", StringComparison.Ordinal)).ToList();

    /// <summary>The port of the primary serving <paramref name="key"/> now.</summary>
    public int PortOf(string key)
    {
        var slot = Slot(key);
        foreach (var line in Cli(Ports[0], "CLUSTER", "NODES").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Trim().Split(' ');
            if (f.Length <= 8 || !f[2].Contains("master", StringComparison.Ordinal)) continue;
            foreach (var range in f.Skip(8).Where(r => !r.StartsWith('[')))
            {
                var ends = range.Split('-');
                var lo = int.Parse(ends[0], CultureInfo.InvariantCulture);
                var hi = ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : lo;
                if (slot >= lo && slot <= hi) return int.Parse(f[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no primary serves slot {slot}");
    }

    public int Slot(string key) => Admin.HashSlot(key);


    /// <summary>Every key on every primary (SCAN each), for layout assertions.</summary>
    public IReadOnlyList<string> AllKeys(string pattern = "*") =>
        PrimaryPorts().SelectMany(p => Admin.GetServer("127.0.0.1", p).Keys(pattern: pattern, pageSize: 1000).Select(k => (string)k!)).ToList();

    public void Dispose()
    {
        admin?.Dispose();
        admin = null;
        foreach (var port in started) Cli(port, "SHUTDOWN", "NOSAVE");
        started.Clear();
        try
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A node still closing its files: the temp directory is cleaned later.
        }
    }

    /// <summary>
    /// Free ports whose cluster bus (port + 10000) is free too, all below the kernel's ephemeral range (32768 on):
    /// the other test servers take their ports from that range (port 0), so a node can never pick a port that
    /// another server grabs between the probe and the bind (and then answer PING, and be shut down as a node).
    /// </summary>
    private static IReadOnlyList<int> FreePorts(int count)
    {
        var random = new Random();
        while (true)
        {
            var first = random.Next(20000, 22760 - count);
            var ports = Enumerable.Range(first, count).ToList();
            if (ports.All(p => IsFree(p) && IsFree(p + 10000))) return ports;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            l.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
