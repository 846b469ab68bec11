using System;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.RawCommands;

/// <summary>Invoke-RedisComponentCommand and Get-RedisComponentDatabase against real redis-servers.</summary>
public sealed class InvokeRedisComponentCommandTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    private PsHost Host(string config = null!)
    {
        var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0);
        configServer.Db().StringSet("config:redis:app", config ?? $"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"db\": 2}}");
        return ps;
    }

    [Fact]
    public void RepliesBecomePowerShellValuesFromTheComponentsDatabase()
    {
        data.Db(2).HashSet("count:60:hits", new[] { new HashEntry("1700000000", 3), new HashEntry("1700000060", 5) });
        data.Db(0).HashSet("count:60:hits", "wrong", "db");
        using var ps = Host();

        var pairs = ps.Run("Invoke-RedisComponentCommand -Component app -Command HGETALL -Argument 'count:60:hits'").ThrowIfFailed();
        Assert.Equal(new object[] { "1700000000", "3", "1700000060", "5" }, pairs.Output.Select(o => o.BaseObject).ToArray());
        Assert.Equal(2L, ps.Run("Invoke-RedisComponentCommand app HLEN count:60:hits").Single<long>());
        var nested = ps.Run("Invoke-RedisComponentCommand app EVAL \"return {1, 'a', {2, 'b'}}\" 0 -NoEnumerate").Single<object[]>();
        Assert.Equal(1L, nested[0]);
        Assert.Equal("a", nested[1]);
        Assert.Equal(new object[] { 2L, "b" }, Assert.IsType<object[]>(nested[2]));
        Assert.Empty(ps.Run("Invoke-RedisComponentCommand app GET nosuch").ThrowIfFailed().Output); // nil writes nothing
        Assert.Equal("listpack", ps.Run("Invoke-RedisComponentCommand app 'OBJECT ENCODING' count:60:hits").Single<string>()); // words after the first lead the arguments
        // Binary values survive as bytes.
        data.Db(2).StringSet("bin", new byte[] { 0xff, 0x00, 0xfe });
        Assert.Equal(new byte[] { 0xff, 0x00, 0xfe }, ps.Run("Invoke-RedisComponentCommand app GET bin").Single<byte[]>());
    }

    [Fact]
    public void CommandsThatWriteGoThroughShouldProcessAndReadsDoNot()
    {
        data.Db(2).StringSet("k", "v");
        using var ps = Host();
        var whatIf = ps.Run("Invoke-RedisComponentCommand app DEL k -WhatIf; Invoke-RedisComponentCommand app GET k -WhatIf").ThrowIfFailed();
        Assert.Equal("v", (string?)data.Db(2).StringGet("k"));           // DEL did not run
        Assert.Equal(new object[] { "v" }, whatIf.Output.Select(o => o.BaseObject).ToArray()); // GET ran
        Assert.Contains("What if: Performing the operation \"Redis command DEL\" on target \"Redis of component 'app'", ps.Host.TakeScreen());
        Assert.Equal(1L, ps.Run("Invoke-RedisComponentCommand app DEL k -Confirm:$false").Single<long>());
        Assert.False(data.Db(2).KeyExists("k"));
    }

    [Fact]
    public void KeysComeFromCommandInfoAskedOncePerConnection()
    {
        using var ps = Host();
        ps.Run("Invoke-RedisComponentCommand app MSET a 1 b 2 -Confirm:$false").ThrowIfFailed();
        data.ResetStats();
        var verbose = ps.Run("1..3 | ForEach-Object { Invoke-RedisComponentCommand app MGET a b -Verbose }").ThrowIfFailed();
        Assert.Equal(new object[] { "1", "2", "1", "2", "1", "2" }, verbose.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(verbose.Verbose, v => v.Contains("MGET on keys 'a', 'b'") && v.Contains("COMMAND INFO: read-only"));
        Assert.Equal(1, data.CommandCalls("command|info")); // three MGETs, one COMMAND INFO mget
        var eval = ps.Run("Invoke-RedisComponentCommand app EVAL \"return redis.call('GET', KEYS[1])\" 1 a -Verbose").ThrowIfFailed();
        Assert.Equal("1", eval.Output.Single().BaseObject);
        Assert.Contains(eval.Verbose, v => v.Contains("EVAL on key 'a'")); // movable keys from COMMAND GETKEYS
    }

    [Fact]
    public void AnAclUserWithoutCommandFallsBackToTheCuratedList()
    {
        data.AdminServer.Execute("ACL", "SETUSER", "limited", "on", ">s3cret-pw", "~*", "+@all", "-command");
        using var ps = Host($"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"username\": \"limited\", \"password\": \"s3cret-pw\"}}");
        data.Db().StringSet("x", "1");
        var read = ps.Run("Invoke-RedisComponentCommand app GET x -WhatIf -Verbose").ThrowIfFailed();
        Assert.Equal("1", read.Output.Single().BaseObject);
        Assert.Contains(read.Verbose, v => v.Contains("curated list: read-only"));
        ps.Run("Invoke-RedisComponentCommand app INCR x -WhatIf").ThrowIfFailed();
        Assert.Equal("1", (string?)data.Db().StringGet("x"));             // INCR counted as a write: not sent
        var denied = ps.Run("Invoke-RedisComponentCommand app 'COMMAND COUNT'");
        var error = denied.SingleError();
        Assert.Equal("RedisCommandNotPermitted,RedisComponents.RawCommands.Commands.InvokeRedisComponentCommandCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("component 'app'", error.ErrorDetails.Message);
        Assert.DoesNotContain("s3cret", denied.AllText());
    }

    [Fact]
    public void ErrorsAreClassifiedAndNeverEchoTheArguments()
    {
        data.Db(2).ListLeftPush("list", "x");
        using var ps = Host();
        string Id(string script) => ps.Run(script).SingleError().FullyQualifiedErrorId.Split(',')[0];
        Assert.Equal("RedisCommandUnknown", Id("Invoke-RedisComponentCommand app NOSUCHCMD 'secret-arg' -Confirm:$false"));
        Assert.DoesNotContain("secret-arg", ps.Run("Invoke-RedisComponentCommand app NOSUCHCMD 'secret-arg' -Confirm:$false").AllText().Replace("NOSUCHCMD 'secret-arg'", ""));
        Assert.Equal("RedisCommandInvalid", Id("Invoke-RedisComponentCommand app GET"));
        Assert.Equal("RedisCommandFailed", Id("Invoke-RedisComponentCommand app HGETALL list"));
        Assert.Equal("RedisCommandNotSupported", Id("Invoke-RedisComponentCommand app BLPOP list 0"));
        Assert.Equal("RedisCommandNotSupported", Id("Invoke-RedisComponentCommand app SELECT 3"));
        Assert.Equal("RedisCommandNotSupported", Id("Invoke-RedisComponentCommand app MULTI"));
        // Commands the module's least-privilege connections never send: an ErrorRecord, not the client's exception.
        var config = ps.Run("Invoke-RedisComponentCommand app 'CONFIG GET' maxmemory-policy -Confirm:$false").SingleError();
        Assert.Equal("RedisCommandNotSupported,RedisComponents.RawCommands.Commands.InvokeRedisComponentCommandCommand", config.FullyQualifiedErrorId);
        Assert.Contains("redis-cli", config.ErrorDetails.Message);
        Assert.Null(config.Exception.InnerException);
        Assert.Equal("ComponentConfigNotFound", Id("Invoke-RedisComponentCommand nosuch PING"));
        // The connection still works after the refusals (nothing blocked or switched it).
        Assert.Equal("PONG", ps.Run("Invoke-RedisComponentCommand app PING").Single<string>());
        data.Stop();
        Assert.Equal("ComponentUnreachable", Id("Invoke-RedisComponentCommand app PING"));
    }

    [Fact]
    public void GetRedisComponentDatabaseReturnsTheComponentsDatabaseWithoutSecrets()
    {
        data.AdminServer.Execute("ACL", "SETUSER", "app", "on", ">hunter2-pw", "~*", "+@all");
        using var ps = Host($"{{\"host\": \"{data.Host}\", \"port\": {data.Port}, \"db\": 4, \"username\": \"app\", \"password\": \"hunter2-pw\"}}");
        var result = ps.Run("$db = Get-RedisComponentDatabase app; $null = $db.StringSet('from-script', 'yes'); $db; $db | Out-Host; $db.Multiplexer | Out-Host; \"$db\"; \"$($db.Multiplexer)\"").ThrowIfFailed();
        Assert.IsAssignableFrom<IDatabase>(result.Output[0].BaseObject);
        Assert.Equal(4, ((IDatabase)result.Output[0].BaseObject).Database);
        Assert.Equal("yes", (string?)data.Db(4).StringGet("from-script"));
        // What a user sees by default (the views) and the ToString() of both objects; the client's own
        // Multiplexer.Configuration string does hold the password (documented in the help).
        var screen = System.Text.RegularExpressions.Regex.Replace(ps.Host.TakeScreen(), "\x1b\\[[0-9;]*m", "");
        Assert.Contains("Database", screen);
        Assert.Matches(@"ClientName\s+IsConnected", screen);
        Assert.DoesNotContain("hunter2", screen);
        Assert.DoesNotContain("hunter2", string.Join("\n", result.Output.Skip(1).Select(o => o.ToString())));
    }

    public void Dispose()
    {
        data.Dispose();
        configServer.Dispose();
    }
}
