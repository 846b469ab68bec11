using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Connections;

/// <summary>One primary, one replica and one sentinel (redis-server --sentinel) on loopback; a real SENTINEL FAILOVER.</summary>
public sealed class SentinelTests : IDisposable
{
    private const string Service = "mymaster";
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisProcess primary;
    private readonly RedisProcess replica;
    private readonly RedisProcess sentinel;
    private readonly ConnectionMultiplexer admin;
    private readonly ConnectionMultiplexer sentinelAdmin;

    public SentinelTests()
    {
        primary = RedisProcess.Start((port, _) => new[] { "--port", Str(port) });
        replica = RedisProcess.Start((port, _) => new[] { "--port", Str(port), "--replicaof", "127.0.0.1", Str(primary.Port) });
        sentinel = RedisProcess.StartWithConfig((port, dir) => string.Join("\n",
            $"port {Str(port)}", "bind 127.0.0.1", "daemonize no", "protected-mode no", $"dir {dir}", "logfile \"\"",
            $"sentinel monitor {Service} 127.0.0.1 {Str(primary.Port)} 1",
            $"sentinel down-after-milliseconds {Service} 1000",
            $"sentinel failover-timeout {Service} 10000",
            "") + "\n", sentinel: true);
        admin = ConnectionMultiplexer.Connect(new ConfigurationOptions
        {
            EndPoints = { primary.Endpoint, replica.Endpoint },
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
        });
        sentinelAdmin = ConnectionMultiplexer.Connect(new ConfigurationOptions
        {
            EndPoints = { sentinel.Endpoint },
            CommandMap = CommandMap.Sentinel,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
        });
    }

    private string? Newest(RedisProcess p, string key) => Node(p).Execute("LINDEX", key, "0").ToString();

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);

    private RedisResult Sentinel(params object[] args) => sentinelAdmin.GetServer(sentinel.Endpoint).Execute("SENTINEL", args);

    private IServer Node(RedisProcess p) => admin.GetServer(p.Endpoint);

    private bool IsPrimary(RedisProcess p)
    {
        try
        {
            return ((RedisResult[])Node(p).Execute("ROLE")!)[0].ToString() == "master";
        }
        catch (Exception e) when (e is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException
        {
            return false;
        }
    }

    private int ReportedPrimaryPort() => int.Parse(((RedisResult[])Sentinel("get-master-addr-by-name", Service)!)[1].ToString(), CultureInfo.InvariantCulture);

    private bool SentinelKnowsAGoodReplica()
    {
        try
        {
            var replicas = (RedisResult[])Sentinel("replicas", Service)!;
            return replicas.Any(r =>
            {
                var fields = ((RedisResult[])r!).Select(f => f.ToString()).ToArray();
                var flags = fields[Array.IndexOf(fields, "flags") + 1];
                var link = fields[Array.IndexOf(fields, "master-link-status") + 1];
                return flags == "slave" && link == "ok";
            });
        }
        catch (Exception e) when (e is RedisException or TimeoutException) // RedisTimeoutException is a TimeoutException
        {
            return false;
        }
    }

    [Fact]
    public void RecentLogWritesFollowTheNewPrimaryAcrossAFailoverWithoutAConfigChange()
    {
        Wait.Until(SentinelKnowsAGoodReplica, "the sentinel to see the replica in sync", 30);
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        ps.Run("""
            Set-RedisComponentConfig -Component ha -Config @{ service_name = 'mymaster'; sentinels = @(, @('127.0.0.1', $sp)); socket_timeout = 1; socket_connect_timeout = 1 }
            """, new() { ["sp"] = sentinel.Port }).ThrowIfFailed();
        var configBefore = (string?)configServer.Db().StringGet("config:redis:ha");

        var first = ps.Run("Write-RedisRecentLog -Component ha -Name ha -Message before");
        Assert.True(first.Succeeded, first.Describe());
        Assert.EndsWith(" before", Newest(primary, "recent:ha:info"));

        Sentinel("failover", Service);
        var errors = new List<System.Management.Automation.ErrorRecord>();
        var i = 0;
        try
        {
            Wait.Until(() =>
        {
            var m = "during-" + Str(i++);
            var r = ps.Run("Write-RedisRecentLog -Component ha -Name ha -Message $m", new() { ["m"] = m });
            errors.AddRange(r.Errors);
            // Done when the old primary is demoted too: until then it still takes writes that its resync with
            // the new primary discards (Sentinel's replication is asynchronous; nothing a client can change).
            return IsPrimary(replica) && !IsPrimary(primary) && ReportedPrimaryPort() == replica.Port && r.Succeeded
                && Newest(replica, "recent:ha:info")?.EndsWith(" " + m, StringComparison.Ordinal) == true;
        }, "the failover to finish and a write to land on the new primary", 40);
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            // Say where things stand: roles, newest entries, the last errors the writes met.
            Assert.Fail($"{ex.Message}; replica primary: {IsPrimary(replica)}, old primary still primary: {IsPrimary(primary)}, " +
                $"newest on each: '{Newest(replica, "recent:ha:info")}' / '{Newest(primary, "recent:ha:info")}'; last errors: " +
                string.Join(" || ", errors.TakeLast(3).Select(e => e.ErrorDetails.Message)));
        }
        // Errors during the switch are the module's, with a stable id, never a raw client exception.
        Assert.All(errors, e => Assert.Matches("^Component(Unreachable|ReadOnly),", e.FullyQualifiedErrorId));

        // Afterwards every write lands on the new primary (the old replica), with the config untouched.
        for (var n = 0; n < 5; n++)
        {
            var r = ps.Run("Write-RedisRecentLog -Component ha -Name ha -Message $m", new() { ["m"] = "after-" + Str(n) });
            Assert.True(r.Succeeded, r.Describe());
        }
        var onNew = Node(replica).Execute("LRANGE", "recent:ha:info", "0", "4");
        var texts = ((RedisResult[])onNew!).Select(v => v.ToString()).ToArray();
        Assert.Equal(new[] { "after-4", "after-3", "after-2", "after-1", "after-0" }, texts.Select(t => t[(t.LastIndexOf(' ') + 1)..]).ToArray());
        Assert.Equal(configBefore, (string?)configServer.Db().StringGet("config:redis:ha"));
    }

    [Fact]
    public void ASentinelConfigIsValidatedAndAnUnknownServiceIsAnError()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        var shape = ps.Run("Set-RedisComponentConfig -Component bad -Config @{ service_name = 'mymaster'; sentinels = @('127.0.0.1:26379') }");
        Assert.StartsWith("ComponentConfigInvalid,", shape.SingleError().FullyQualifiedErrorId);
        Assert.Contains("[\"host\", port] pairs", shape.SingleError().ErrorDetails.Message);
        var half = ps.Run("Set-RedisComponentConfig -Component bad -Config @{ service_name = 'mymaster' }");
        Assert.Contains("needs both 'service_name'", half.SingleError().ErrorDetails.Message);
        Assert.False(configServer.Db().KeyExists("config:redis:bad"));

        // From a connection string: serviceName makes the hosts sentinels, never a plain host.
        ps.Run("Set-RedisComponentConfig -Component cs -ConnectionString $cs", new() { ["cs"] = $"{sentinel.Endpoint},serviceName={Service}" }).ThrowIfFailed();
        var stored = (string?)configServer.Db().StringGet("config:redis:cs") ?? "";
        Assert.Contains("\"service_name\": \"mymaster\"", stored);
        Assert.DoesNotContain("\"host\"", stored);
        var written = ps.Run("Write-RedisRecentLog -Component cs -Name cs -Message viaString");
        Assert.True(written.Succeeded, written.Describe());
        Assert.EndsWith(" viaString", Newest(primary, "recent:cs:info"));

        ps.Run("Set-RedisComponentConfig -Component nosvc -Config @{ service_name = 'nosuch'; sentinels = @(, @('127.0.0.1', $sp)); socket_timeout = 1; socket_connect_timeout = 1 }",
            new() { ["sp"] = sentinel.Port }).ThrowIfFailed();
        var error = ps.Run("Write-RedisRecentLog -Component nosvc -Name x -Message m").SingleError();
        Assert.StartsWith("ComponentUnreachable,", error.FullyQualifiedErrorId);
        Assert.Contains("nosuch", error.ErrorDetails.Message);
    }

    public void Dispose()
    {
        admin.Dispose();
        sentinelAdmin.Dispose();
        sentinel.Dispose();
        replica.Dispose();
        primary.Dispose();
        configServer.Dispose();
    }
}
