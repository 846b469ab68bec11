using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>ACL users restricted as README's table says, a nopass default user, a replica, unix sockets, RESP3 — real servers.</summary>
public sealed class LeastPrivilegeTests : IDisposable
{
    private const string Password = "app-Pw";
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    private void User(string name, params string[] rules) =>
        data.AdminServer.Execute("ACL", new object[] { "SETUSER", name, "reset", "on", ">" + Password, "~*" }.Concat(rules).ToArray());

    private PsHost Host(Hashtable? extra = null, string user = "app")
    {
        var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        var cfg = new Hashtable { ["host"] = data.Host, ["port"] = data.Port, ["username"] = user, ["password"] = Password, ["socket_timeout"] = 1, ["socket_connect_timeout"] = 1 };
        foreach (DictionaryEntry e in extra ?? new Hashtable()) cfg[e.Key] = e.Value;
        ps.Run("Set-RedisComponentConfig -Component app -Config $cfg", new() { ["cfg"] = cfg }).ThrowIfFailed();
        return ps;
    }

    // README "Connection management", least-privilege table: exactly these commands, nothing else.
    private static readonly string[] Base = { "+ping" };
    private static readonly string[] RecentLog = { "+lpush", "+ltrim", "+multi", "+exec", "+lrange" };
    private static readonly string[] CommonLog = { "+get", "+set", "+exists", "+type", "+watch", "+unwatch", "+multi", "+exec", "+rename", "+zincrby", "+zcard", "+lpush", "+ltrim", "+llen", "+zrevrange" };
    private static readonly string[] Counters = { "+evalsha", "+eval", "+script|load", "+type", "+zadd", "+hincrby", "+hgetall", "+zcard", "+zscan", "+hkeys", "+hdel", "+watch", "+unwatch", "+hlen", "+multi", "+zrem", "+exec" };
    private static readonly string[] Statistics = { "+get", "+set", "+exists", "+type", "+watch", "+unwatch", "+multi", "+exec", "+rename", "+zadd", "+zincrby", "+zrange", "+zcard" };
    private static readonly string[] AccessTime = Statistics.Concat(new[] { "+zremrangebyrank", "+zrevrange" }).ToArray();
    private static readonly string[] Geo = { "+evalsha", "+eval", "+script|load", "+exists", "+hmset", "+zadd", "+rename", "+unlink", "+expire", "+persist", "+incr", "+zrevrangebyscore", "+zrevrangebylex", "+hmget", "+hget", "+get" };

    private static string Examples(string file) => System.IO.Path.Combine(RepositoryRoot.Path, "examples", "data", file);

    private void RunsWith(string[] feature, string script)
    {
        User("app", Base.Concat(feature).ToArray());
        using var ps = Host();
        var r = ps.Run(script, new() { ["blocks"] = Examples("GeoLiteCity-Blocks.csv"), ["cities"] = Examples("GeoLiteCity-Location.csv") });
        Assert.True(r.Succeeded, r.Describe());
        Assert.NotEmpty(r.Output);
    }

    [Fact]
    public void EachFeatureRunsWithExactlyItsCommands()
    {
        RunsWith(RecentLog, "Write-RedisRecentLog -Component app -Name acl -Message one; 'a', 'b' | Write-RedisRecentLog -Component app -Name acl; Get-RedisRecentLog -Component app -Name acl");
        RunsWith(CommonLog, "Write-RedisCommonLog -Component app -Name acl -Message one; 'a', 'b' | Write-RedisCommonLog -Component app -Name acl; Get-RedisCommonLog -Component app -Name acl; Get-RedisCommonLog -Component app -Name acl -Previous");
        RunsWith(Counters, "Update-RedisCounter -Component app -Name hits; 'a', 'b' | Update-RedisCounter -Component app; Get-RedisCounter -Component app -Name hits -Precision 5; Invoke-RedisCounterCleanup -Component app");
        RunsWith(Statistics, "Update-RedisStatistic -Component app -Context c -Type t -Value 1; Update-RedisStatistic -Component app -Context c -Type t -Value 2; Get-RedisStatistic -Component app -Context c -Type t");
        RunsWith(AccessTime, "Measure-RedisAccessTime -Component app -Context c { 1 }; Get-RedisAccessTime -Component app");
        RunsWith(Geo, "Import-RedisIpBlock -Component app -Path $blocks | Out-Null; Import-RedisCityLocation -Component app -Path $cities | Out-Null; '1.0.0.1', '1.0.16.1' | Find-RedisCity -Component app -ErrorAction SilentlyContinue");
    }

    [Theory]
    [InlineData("+lpush", "lpush", "Write-RedisRecentLog -Component app -Name acl -Message one")]   // a data command
    [InlineData("+exists", "exists", "Write-RedisCommonLog -Component app -Name acl -Message one")] // the common log's WATCH/EXISTS condition (was reported as contention)
    [InlineData("+ping", "ping", "Write-RedisRecentLog -Component app -Name acl -Message one")]     // the handshake's PING
    [InlineData("+hincrby", "hincrby", "Update-RedisCounter -Component app -Name hits")]            // a command inside the counters' script
    public void OneMissingPermissionIsPermissionDeniedNamingCommandAndUser(string dropped, string command, string script)
    {
        User("app", Base.Concat(CommonLog).Concat(RecentLog).Concat(Counters).Where(r => r != dropped).Append("-" + dropped[1..]).ToArray());
        using var ps = Host();
        var r = ps.Run(script);
        var error = r.SingleError();
        Assert.StartsWith("ComponentPermissionDenied,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("user 'app'", error.ErrorDetails.Message);
        Assert.Contains($"'{command}'", error.ErrorDetails.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ADbAboveZeroWithoutSelectIsPermissionDeniedNeverAWriteToDbZero()
    {
        User("app", Base.Concat(RecentLog).ToArray());
        using var ps = Host(new Hashtable { ["db"] = 3 });
        var r = ps.Run("Write-RedisRecentLog -Component app -Name sel -Message one; Write-RedisRecentLog -Component app -Name sel -Message two");
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e =>
        {
            Assert.StartsWith("ComponentPermissionDenied,", e.FullyQualifiedErrorId);
            Assert.Contains("'select'", e.ErrorDetails.Message);
        });
        Assert.False(data.Db(0).KeyExists("recent:sel:info"));
        Assert.False(data.Db(3).KeyExists("recent:sel:info"));

        // Granted +select, the same config writes to db 3.
        User("app", Base.Concat(RecentLog).Append("+select").ToArray());
        Assert.True(ps.Run("Write-RedisRecentLog -Component app -Name sel -Message three").Succeeded);
        Assert.True(data.Db(3).KeyExists("recent:sel:info"));
        Assert.False(data.Db(0).KeyExists("recent:sel:info"));
    }

    [Fact]
    public void AWrongPasswordFailsEvenWhenTheDefaultUserIsNopass()
    {
        User("app", "+@all");
        data.AdminServer.Execute("ACL", "SETUSER", "default", "on", "nopass", "~*", "+@all");
        using var ps = Host(new Hashtable { ["password"] = "wrong" });
        var r = ps.Run("Invoke-TestComponentIncrement -Component app -Key nopass; Invoke-TestComponentIncrement -Component app -Key nopass");
        Assert.All(r.Errors, e => Assert.StartsWith("ComponentAuthenticationFailed,", e.FullyQualifiedErrorId));
        Assert.Equal(2, r.Errors.Count);
        Assert.False(data.Db().KeyExists("nopass")); // nothing ran as 'default'
    }

    [Fact]
    public void AReplicaIsReadOnly()
    {
        using var replica = RedisProcess.Start((port, _) => new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--replicaof", data.Host, data.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // A replica still syncing answers LOADING or refuses links: wait (bounded) until it serves reads.
        using (var admin = StackExchange.Redis.ConnectionMultiplexer.Connect(replica.Endpoint + ",allowAdmin=true"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!admin.GetServer(replica.Endpoint).InfoRaw("replication").Contains("master_link_status:up", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "the replica did not finish its sync within 20 s");
                System.Threading.Thread.Sleep(50);
            }
        }
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        ps.Run("Set-RedisComponentConfig -Component rep -Config @{ host = '127.0.0.1'; port = $p; socket_timeout = 1; socket_connect_timeout = 1 }", new() { ["p"] = replica.Port }).ThrowIfFailed();
        var error = ps.Run("Write-RedisRecentLog -Component rep -Name r -Message m").SingleError();
        Assert.True(error.FullyQualifiedErrorId.StartsWith("ComponentReadOnly,", StringComparison.Ordinal), error.ErrorDetails.Message);
        Assert.Contains("replica", error.ErrorDetails.Message);
    }

    [Fact]
    public void UnixSocketAndResp3Connect()
    {
        using var server = RedisProcess.Start((port, dir) => new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--unixsocket", System.IO.Path.Combine(dir, "r.sock"), "--unixsocketperm", "700" });
        var socket = System.IO.Path.Combine(server.Directory, "r.sock");
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        var r = ps.Run("""
            Set-RedisComponentConfig -Component sock -Config @{ unix_socket_path = $s; db = 2 }
            Set-RedisComponentConfig -Component sock3 -ConnectionString "unix://${s}?db=3&protocol=3"
            Invoke-TestComponentIncrement -Component sock -Key u
            Invoke-TestComponentIncrement -Component sock3 -Key u
            (Get-RedisComponentConfig sock3).Config.protocol
            """, new() { ["s"] = socket });
        Assert.True(r.Succeeded, r.Describe());
        Assert.Equal(new object[] { 1L, 1L, 3L }, r.Output.Select(o => o.BaseObject is int i ? (long)i : o.BaseObject).ToArray());
        var py = Python.Run(new[] { "-c", "import redis, sys\nprint(redis.Redis(unix_socket_path=sys.argv[1], db=2).get('u'))", socket });
        Assert.Contains("b'1'", py.Output);
    }

    [Fact]
    public void Resp3WithARestrictedUserNeedsOnlyHello()
    {
        User("app", Base.Concat(RecentLog).Append("+hello").ToArray());
        using var ps = Host(new Hashtable { ["protocol"] = 3 });
        var r = ps.Run("Write-RedisRecentLog -Component app -Name r3 -Message one; Get-RedisRecentLog -Component app -Name r3");
        Assert.True(r.Succeeded, r.Describe());
        Assert.Single(r.Output);
    }

    public void Dispose()
    {
        configServer.Dispose();
        data.Dispose();
    }
}
