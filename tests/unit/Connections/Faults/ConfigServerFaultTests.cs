using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using RedisComponents.Connections;
using RedisComponents.Connections.Commands;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections.Faults;

/// <summary>The config server misbehaving: paused, down, busy with a script, or holding configs of the wrong kind.</summary>
public sealed class ConfigServerFaultTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    public ConfigServerFaultTests() => configServer.SetConfig("app", FaultHosts.Config(data.Host, data.Port));

    public void Dispose()
    {
        data.Dispose();
        configServer.Dispose();
    }

    private PsHost NewHost(double refreshSeconds = 1) => new(configServer.Endpoint, refreshSeconds, withTestCmdlets: true);

    [Fact]
    public void APausedConfigServerLeavesKnownConfigsWorkingWithOneWarningPerOutage()
    {
        // The data server is healthy here: a roomy socket_timeout keeps a loaded machine from failing its calls.
        configServer.SetConfig("app", $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"socket_timeout\": 5}}");
        using var ps = NewHost(refreshSeconds: 0.05);
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();

        Pause(configServer);
        // Ten calls spread over several refresh windows: each may wait 250 ms for the re-read, then goes on.
        var paused = ps.RunBounded("1..10 | ForEach-Object { Invoke-TestComponentIncrement -Component app; [System.Threading.Thread]::Sleep(60) }", seconds: 20);
        Assert.True(paused.Succeeded, paused.Describe());
        Assert.Equal(Enumerable.Range(2, 10).Select(i => i.ToString()), paused.Output.Select(o => o.ToString()));
        var warning = Assert.Single(paused.Warnings);
        Assert.Contains(configServer.Endpoint, warning);
        Assert.Contains("'app'", warning);

        // The pause ends (CLIENT UNPAUSE would itself wait behind CLIENT PAUSE ALL): the session reads again by itself.
        Wait.Until(() => ps.Run("Get-RedisComponentConfig app").Succeeded, "the config server to answer after the pause", seconds: 20);
        var resumed = DateTimeOffset.UtcNow;
        Wait.Until(() => ps.Run("Invoke-TestComponentIncrement -Component app").Succeeded
                         && (DateTimeOffset)ps.Run("(Get-RedisComponentConnection app).ConfigReadAt").Output.Single().BaseObject > resumed,
            "the session to re-read the config after the pause", seconds: 20);

        Pause(configServer);
        var second = ps.RunBounded("1..4 | ForEach-Object { Invoke-TestComponentIncrement -Component app; [System.Threading.Thread]::Sleep(60) }", seconds: 20);
        Assert.True(second.Succeeded, second.Describe());
        Assert.Single(second.Warnings); // a new outage warns again, once
    }

    /// <summary>CLIENT PAUSE ALL for 4 s: every client of the config server, the module's included, waits.</summary>
    private static void Pause(RedisServer server) => server.AdminServer.Execute("CLIENT", "PAUSE", "4000", "ALL");

    [Fact]
    public void AConfigServerBusyWithAScriptIsAnOutageNeverARawException()
    {
        using var ps = NewHost(refreshSeconds: 0.05);
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();
        configServer.AdminServer.Execute("CONFIG", "SET", "busy-reply-threshold", "50");
        using var script = RawCommand(configServer.Port, "EVAL \"while true do end\" 0");
        try
        {
            Wait.Until(() => RawReply(configServer.Port, "PING").StartsWith("-BUSY", StringComparison.Ordinal), "the config server to answer BUSY");

            var known = ps.RunBounded("1..3 | ForEach-Object { Invoke-TestComponentIncrement -Component app; [System.Threading.Thread]::Sleep(60) }", seconds: 20);
            Assert.True(known.Succeeded, known.Describe());
            Assert.Equal(3, known.Output.Count);
            // One warning; it names BUSY once the re-read was answered, or the 250 ms wait when the call went on first.
            Assert.Matches("BUSY|no answer within 250 ms", Assert.Single(known.Warnings));

            var unknown = ps.RunBounded("Invoke-TestComponentIncrement -Component other").SingleError().AssertClassified("ConfigServerUnreachable");
            Assert.Contains("BUSY", unknown.ErrorDetails.Message);
            Assert.Contains("'other'", unknown.ErrorDetails.Message);

            var get = ps.RunBounded("Get-RedisComponentConfig app").SingleError().AssertClassified("ConfigServerUnreachable");
            Assert.Contains("BUSY", get.ErrorDetails.Message);
            var set = ps.RunBounded("Set-RedisComponentConfig -Component other -ConnectionString 'localhost:1'").SingleError().AssertClassified("ConfigServerUnreachable");
            Assert.Contains("BUSY", set.ErrorDetails.Message);
        }
        finally
        {
            RawReply(configServer.Port, "SCRIPT KILL");
        }
        Wait.Until(() => ps.Run("Get-RedisComponentConfig app").Succeeded, "the config server to answer after SCRIPT KILL");
    }

    [Fact]
    public void ConfigCmdletsOnADownConfigServerFailWithOneClearSentence()
    {
        var nothingThere = $"127.0.0.1:{ProcessRedisServer.FreePort()}";
        using var ps = new PsHost(nothingThere + ",connectTimeout=1000,syncTimeout=1000", withTestCmdlets: true);
        foreach (var command in new[]
                 {
                     "Get-RedisComponentConfig app", "Get-RedisComponentConfig", "Set-RedisComponentConfig -Component app -ConnectionString 'localhost:1'",
                     "Remove-RedisComponentConfig app -Confirm:$false", "Test-RedisMaintenance", "Enable-RedisMaintenance -Confirm:$false",
                     "Disable-RedisMaintenance -Confirm:$false", "Invoke-TestComponentIncrement -Component app",
                 })
        {
            for (var attempt = 0; attempt < 2; attempt++) // the first connects and fails; the second knows it is down
            {
                var result = ps.RunBounded(command, seconds: 20);
                Assert.True(result.Terminating is null, command + ": " + result.Terminating);
                Assert.Empty(result.Output);
                result.SingleError().AssertConfigServerDown(nothingThere);
            }
        }
        var status = ps.RunBounded("Get-RedisConfigServer").ThrowIfFailed().Single<ConfigServerStatus>();
        Assert.False(status.IsConnected);
        Assert.Null(status.LastReadAt);
        Assert.Contains(nothingThere, status.LastError);
    }

    [Fact]
    public void AConfigKeyOfAnotherTypeIsComponentConfigInvalidEverywhere()
    {
        configServer.Db().HashSet("config:redis:hashy", "host", "127.0.0.1");
        using var ps = NewHost();
        var call = ps.RunBounded("Invoke-TestComponentIncrement -Component hashy").SingleError().AssertClassified("ComponentConfigInvalid");
        Assert.Contains("config:redis:hashy", call.ErrorDetails.Message);
        Assert.DoesNotContain("ConfigServerUnreachable", call.FullyQualifiedErrorId);

        var get = ps.RunBounded("Get-RedisComponentConfig hashy").SingleError().AssertClassified("ComponentConfigInvalid");
        Assert.Contains("config:redis:hashy", get.ErrorDetails.Message);

        // The listing skips what is not a config string and lists the others.
        var listed = ps.RunBounded("(Get-RedisComponentConfig).Component").ThrowIfFailed();
        Assert.Equal(new[] { "app" }, listed.Output.Select(o => o.ToString()));

        var test = ps.RunBounded("Test-RedisComponent hashy").ThrowIfFailed().Single<ComponentTestResult>();
        Assert.False(test.Reachable);
        Assert.Contains("config:redis:hashy", test.Error);
    }

    [Fact]
    public void DuplicateJsonKeysFollowPythonsLastWinsRule()
    {
        // json.loads keeps the last value of a repeated key; so does the module (the first port is a dead one).
        configServer.SetConfig("dup", $"{{\"host\": \"{data.Host}\", \"port\": 1, \"port\": {data.Port}, \"socket_timeout\": 1}}");
        using var ps = NewHost();
        Assert.Equal("1", ps.RunBounded("Invoke-TestComponentIncrement -Component dup -Key dup").ThrowIfFailed().Output.Single().ToString());
        var listed = ps.RunBounded("Get-RedisComponentConfig").ThrowIfFailed();
        Assert.Equal(new[] { "app", "dup" }, listed.Output.Select(o => o.Properties["Component"].Value.ToString()).OrderBy(n => n));
        Assert.Equal(data.Endpoint, ps.RunBounded("(Get-RedisComponentConnection dup).Endpoint").ThrowIfFailed().Output.Single().ToString());
    }

    [Fact]
    public void ASelfReferencingHashtableIsRefusedWithoutWritingAnything()
    {
        using var ps = NewHost();
        var result = ps.RunBounded("$h = @{ host = '127.0.0.1'; port = 6379 }; $h.self = $h; Set-RedisComponentConfig -Component cyc -Config $h");
        Assert.True(result.Terminating is null, result.Describe());
        Assert.Contains("contains itself", result.SingleError().AssertClassified("ComponentConfigInvalid").ErrorDetails.Message);
        Assert.False(configServer.Db().KeyExists("config:redis:cyc"));
    }

    [Fact]
    public void RefreshSecondsZeroReadsTheConfigOncePerCommandNotPerItem()
    {
        using var ps = NewHost(refreshSeconds: 0);
        configServer.ResetStats();
        ps.RunBounded("1..10000 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name zero", seconds: 60).ThrowIfFailed();
        Assert.Equal(1, configServer.CommandCalls("get"));
        Assert.Equal(100, data.Db().ListLength("recent:zero:info"));

        ps.RunBounded("Write-RedisRecentLog -Component app -Name zero -Message again").ThrowIfFailed();
        Assert.Equal(2, configServer.CommandCalls("get")); // the next command reads again
    }

    [Fact]
    public void ConnectingAgainToTheSameServerKeepsTheCachedConnections()
    {
        using var ps = NewHost();
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();
        var connectedAt = ps.RunBounded("(Get-RedisComponentConnection app).ConnectedAt").ThrowIfFailed().Output.Single().BaseObject;
        configServer.ResetStats();

        ps.RunBounded("Connect-RedisConfigServer -Configuration $cs -RefreshSeconds 30", variables: new() { ["cs"] = configServer.Endpoint }).ThrowIfFailed();
        Assert.Equal(connectedAt, ps.RunBounded("(Get-RedisComponentConnection app).ConnectedAt").ThrowIfFailed().Output.Single().BaseObject);
        Assert.Equal(30.0, ps.RunBounded("(Get-RedisConfigServer).RefreshSeconds").ThrowIfFailed().Output.Single().BaseObject);
        ps.RunBounded("Invoke-TestComponentIncrement -Component app").ThrowIfFailed();
        Assert.Equal(0, configServer.CommandCalls("get")); // the config was kept, not read again

        // Another config server (the same Redis under another db) drops them.
        ps.RunBounded("Connect-RedisConfigServer -Configuration $cs", variables: new() { ["cs"] = configServer.Endpoint + ",defaultDatabase=1" }).ThrowIfFailed();
        Assert.Empty(ps.RunBounded("Get-RedisComponentConnection").ThrowIfFailed().Output);
    }

    /// <summary>Sends one inline command on a connection of its own and leaves it open (the reply is never read).</summary>
    private static TcpClient RawCommand(int port, string command)
    {
        var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        client.GetStream().Write(Encoding.ASCII.GetBytes(command + "\r\n"));
        return client;
    }

    /// <summary>The first line of the server's reply to one inline command (what a BUSY or LOADING server really says).</summary>
    internal static string RawReply(int port, string command)
    {
        using var client = RawCommand(port, command);
        var stream = client.GetStream();
        stream.ReadTimeout = 5000;
        var buffer = new byte[512];
        var n = stream.Read(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
    }
}
