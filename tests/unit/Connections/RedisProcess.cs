using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>
/// A redis-server (or sentinel) with arguments of the test's choosing: TLS ports, unix sockets, replicas.
/// Started on a free loopback port, killed by its own PID on dispose.
/// </summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process process;

    private RedisProcess(Process process, int port, string directory)
    {
        this.process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }
    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts redis-server with <paramref name="args"/> (given the free port and a directory) after the common ones.</summary>
    public static RedisProcess Start(Func<int, string, IEnumerable<string>> args)
    {
        var port = ProcessRedisServer.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "redis-components-tests", "deploy-" + port.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--daemonize", "no", "--protected-mode", "no", "--dir", dir, "--logfile", "" }) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "--save", "", "--appendonly", "no" }) psi.ArgumentList.Add(a);
        foreach (var a in args(port, dir)) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new RedisProcess(p, port, dir);
        server.WaitAccepting();
        return server;
    }

    public static RedisProcess StartWithConfig(Func<int, string, string> writeConfig, bool sentinel)
    {
        var port = ProcessRedisServer.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "redis-components-tests", "deploy-" + port.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(dir);
        var conf = Path.Combine(dir, sentinel ? "sentinel.conf" : "redis.conf");
        File.WriteAllText(conf, writeConfig(port, dir));
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(conf);
        if (sentinel) psi.ArgumentList.Add("--sentinel");
        var p = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new RedisProcess(p, port, dir);
        server.WaitAccepting();
        return server;
    }

    private void WaitAccepting()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server on port {Port} exited with {process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }
        throw new TimeoutException($"redis-server on port {Port} did not start within 10 s");
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }
}
