using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using RedisComponents.Connections;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Connections.Faults;

/// <summary>
/// A config server restarted on its port that is still loading a big RDB (LOADING): made for real with
/// <c>key-load-delay</c> and a small <c>loading-process-events-interval-bytes</c>, so it answers while it loads.
/// </summary>
public sealed class LoadingFaultTests : IDisposable
{
    private readonly RedisServer data = TestRedis.StartOwned();
    private readonly int port = ProcessRedisServer.FreePort();
    private readonly string directory;
    private Process? configServer;

    public LoadingFaultTests()
    {
        directory = Path.Combine(Path.GetTempPath(), "redis-components-tests", "loading-" + port.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(directory, "dump.rdb"));
    }

    private string Endpoint => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Kill();
        data.Dispose();
    }

    [Fact]
    public void ALoadingConfigServerKeepsKnownConfigsAndFailsUnknownOnesClassified()
    {
        StartConfigServer();
        using (var admin = ConnectionMultiplexer.Connect($"{Endpoint},allowAdmin=true"))
        {
            var db = admin.GetDatabase();
            db.StringSet("config:redis:app", FaultHosts.HealthyConfig(data.Host, data.Port));
            db.StringSet("config:redis:other", FaultHosts.HealthyConfig(data.Host, data.Port, db: 1));
            db.Execute("DEBUG", "POPULATE", "100000");
            db.Execute("SAVE");
        }

        using var ps = new PsHost(Endpoint + ",connectTimeout=5000,syncTimeout=2000", refreshSeconds: 0.05, withTestCmdlets: true);
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();

        Kill();
        StartConfigServer("--key-load-delay", "100", "--loading-process-events-interval-bytes", "1024"); // ≥ 10 s of loading
        var reply = ConfigServerFaultTests.RawReply(port, "GET config:redis:app");
        Assert.StartsWith("-LOADING", reply); // the real fault, not a simulation

        var known = ps.RunBounded("1..3 | ForEach-Object { Invoke-TestComponentIncrement -Component app; [System.Threading.Thread]::Sleep(60) }", seconds: 20);
        Assert.True(known.Succeeded, known.Describe());
        Assert.Equal(new[] { "2", "3", "4" }, known.Output.Select(o => o.ToString()));
        Assert.Contains(Endpoint, Assert.Single(known.Warnings));

        var unknown = ps.RunBounded("Invoke-TestComponentIncrement -Component other").SingleError().AssertConfigServerDown(Endpoint);
        Assert.Contains("'other'", unknown.ErrorDetails.Message);
        ps.RunBounded("Get-RedisComponentConfig other").SingleError().AssertConfigServerDown(Endpoint);
        Assert.StartsWith("-LOADING", ConfigServerFaultTests.RawReply(port, "PING")); // all of it happened while loading

        // The classifier on the server's own words.
        var text = reply.TrimStart('-');
        Assert.Contains("LOADING", RedisFaults.OutageReason(new RedisServerException(text)));
    }

    private void StartConfigServer(params string[] extra)
    {
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var args = new List<string>
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--daemonize", "no", "--protected-mode", "no",
            "--dir", directory, "--logfile", "", "--save", "", "--appendonly", "no", "--enable-debug-command", "local",
        };
        args.AddRange(extra);
        foreach (var a in args) psi.ArgumentList.Add(a);
        configServer = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        configServer.OutputDataReceived += (_, _) => { };
        configServer.ErrorDataReceived += (_, _) => { };
        configServer.BeginOutputReadLine();
        configServer.BeginErrorReadLine();
        Wait.Until(() =>
        {
            try
            {
                ConfigServerFaultTests.RawReply(port, "PING");
                return true;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
            {
                return false;
            }
        }, "the config server to accept connections");
    }

    private void Kill()
    {
        if (configServer is null) return;
        try
        {
            if (!configServer.HasExited) configServer.Kill();
            configServer.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        configServer.Dispose();
        configServer = null;
    }
}
