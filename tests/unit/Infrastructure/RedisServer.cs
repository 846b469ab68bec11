using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using StackExchange.Redis;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// A real Redis for tests: an external one (REDIS_COMPONENTS_TEST_REDIS), a Testcontainers container,
/// or a redis-server process on a free loopback port. Owned servers can be stopped and restarted on the
/// same port (fault tests) and are killed on dispose and at process exit.
/// </summary>
public abstract class RedisServer : IDisposable
{
    private ConnectionMultiplexer? admin;

    public string Host { get; protected init; } = "127.0.0.1";
    public int Port { get; protected init; }
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True when the test may stop and restart this server.</summary>
    public abstract bool Controllable { get; }

    public abstract void Stop();
    public abstract void Start();

    /// <summary>A direct admin connection for assertions (not through the module).</summary>
    public IConnectionMultiplexer Admin => admin ??= ConnectionMultiplexer.Connect(new ConfigurationOptions
    {
        EndPoints = { Endpoint },
        AllowAdmin = true,
        ClientName = "tests-admin",
        ConnectTimeout = 5000,
        SyncTimeout = 5000,
        AbortOnConnectFail = false,
    });

    public IDatabase Db(int db = 0) => Admin.GetDatabase(db);

    public IServer AdminServer => Admin.GetServer(Endpoint);

    /// <summary>How many times a command has run since the last stats reset (INFO commandstats).</summary>
    public long CommandCalls(string command)
    {
        var section = AdminServer.Info("commandstats").SelectMany(g => g);
        var entry = section.FirstOrDefault(kv => kv.Key.Equals("cmdstat_" + command.ToLowerInvariant(), StringComparison.Ordinal));
        if (entry.Value is null) return 0;
        var calls = entry.Value.Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal));
        return long.Parse(calls.AsSpan(6), CultureInfo.InvariantCulture);
    }

    public void ResetStats() => AdminServer.Execute("CONFIG", "RESETSTAT");

    /// <summary>
    /// Connections named <paramref name="name"/>; by default the module's, which are unnamed (no CLIENT SETNAME,
    /// so a least-privilege user needs no CLIENT permission) while the tests' own admin connection is named.
    /// </summary>
    public int ClientCount(string? name = null) =>
        AdminServer.ClientList().Count(c => name is null ? string.IsNullOrEmpty(c.Name) : c.Name == name);

    protected void DropAdmin()
    {
        admin?.Dispose();
        admin = null;
    }

    public virtual void Dispose()
    {
        DropAdmin();
        GC.SuppressFinalize(this);
    }

    public override string ToString() => Endpoint;
}

/// <summary>A server the tests were given; never stopped by them.</summary>
internal sealed class ExternalRedisServer : RedisServer
{
    public ExternalRedisServer(string endpoint)
    {
        var parts = endpoint.Split(':');
        Host = parts[0];
        Port = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 6379;
    }

    public override bool Controllable => false;
    public override void Stop() => throw new InvalidOperationException("An external Redis (REDIS_COMPONENTS_TEST_REDIS) is not stopped by tests.");
    public override void Start() { }
}

/// <summary>redis-server from PATH on a free loopback port, without persistence.</summary>
internal sealed class ProcessRedisServer : RedisServer
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly string directory;
    private Process? process;

    static ProcessRedisServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Running.Values) TryKill(p);
        };
    }

    public ProcessRedisServer()
    {
        Port = FreePort();
        directory = Path.Combine(Path.GetTempPath(), "redis-components-tests", Port.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        Start();
    }

    public override bool Controllable => true;

    public static bool IsAvailable => FindOnPath("redis-server") is not null;

    public override void Start()
    {
        if (process is { HasExited: false }) return;
        var exe = FindOnPath("redis-server") ?? throw new InvalidOperationException("redis-server is not on PATH.");
        var psi = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--daemonize", "no", "--protected-mode", "no", "--dir", directory, "--logfile", "", "--enable-debug-command", "local" })
        {
            psi.ArgumentList.Add(arg);
        }
        process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Running[Port] = process;
        WaitUntil(accepting: true);
    }

    public override void Stop()
    {
        if (process is null) return;
        TryKill(process);
        process.WaitForExit(5000);
        Running.TryRemove(Port, out _);
        process.Dispose();
        process = null;
        WaitUntil(accepting: false);
    }

    public override void Dispose()
    {
        base.Dispose();
        Stop();
    }

    private void WaitUntil(bool accepting)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (Accepts() == accepting) return;
            Thread.Sleep(20);
        }
        throw new TimeoutException($"redis-server on port {Port} did not {(accepting ? "start" : "stop")} within 10 s.");
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            var ping = "PING\r\n"u8.ToArray();
            stream.Write(ping);
            var buffer = new byte[16];
            var n = stream.Read(buffer);
            return n > 0 && buffer[0] == (byte)'+';
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static void TryKill(Process p)
    {
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        catch (Exception)
        {
            // Already gone.
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
