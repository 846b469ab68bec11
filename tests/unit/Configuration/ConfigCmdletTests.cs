using System;
using System.Linq;
using RedisComponents.Configuration;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Configuration;

public sealed class ConfigCmdletTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly PsHost ps;

    public ConfigCmdletTests() => ps = new PsHost(configServer.Endpoint);

    private string? Stored(string key) => configServer.Db().StringGet(key);

    [Fact]
    public void SetWritesExactlyWhatTheBooksSetConfigWrites()
    {
        ps.Run("Set-RedisComponentConfig -Component logs -Config ([ordered]@{ host = 'cache01'; port = 6390; db = 1; password = 'päss' })").ThrowIfFailed();
        // python3 -c 'import json; print(json.dumps({"host": "cache01", "port": 6390, "db": 1, "password": "päss"}))'
        Assert.Equal("{\"host\": \"cache01\", \"port\": 6390, \"db\": 1, \"password\": \"p\\u00e4ss\"}", Stored("config:redis:logs"));
    }

    [Fact]
    public void TheBooksPythonReadsOurConfigAndWeReadItsConfig()
    {
        ps.Run("Set-RedisComponentConfig -Component ours -ConnectionString 'cache01:6390,defaultDatabase=2,password=pw'").ThrowIfFailed();
        var expected = "{\"host\": \"cache01\", \"port\": 6390, \"db\": 2, \"password\": \"pw\"}";
        if (Python.Available)
        {
            // The book's get_config/set_config (5.4.2): json.loads(conn.get(...)), conn.set(..., json.dumps(config)).
            var output = Python.RunWithRedis(configServer.Endpoint, """
                print(json.dumps(json.loads(conn.get('config:redis:ours'))))
                conn.set('config:redis:theirs', json.dumps({'host': 'cache02', 'port': 6391, 'db': 0, 'socket_timeout': 0.5}))
                """);
            Assert.Equal(expected, output.Trim());
        }
        else
        {
            Assert.Equal(expected, Stored("config:redis:ours"));
            configServer.Db().StringSet("config:redis:theirs", "{\"host\": \"cache02\", \"port\": 6391, \"db\": 0, \"socket_timeout\": 0.5}");
        }
        var theirs = ps.Run("Get-RedisComponentConfig theirs").ThrowIfFailed().Single<ComponentConfigInfo>();
        Assert.Equal("cache02", theirs.Config["host"]);
        Assert.Equal(6391L, theirs.Config["port"]);
        Assert.Equal(0.5, theirs.Config["socket_timeout"]);
    }

    [Fact]
    public void SetAcceptsObjectsJsonAndOtherTypes()
    {
        ps.Run("""
            Set-RedisComponentConfig -Component a -Config ([pscustomobject]@{ host = 'h'; port = 1 })
            Set-RedisComponentConfig -Component b -Config '{"host": "h2", "port": 2}'
            Set-RedisComponentConfig -Component svc -Type service -Config @{ url = 'http://x' }
            """).ThrowIfFailed();
        Assert.Equal("{\"host\": \"h\", \"port\": 1}", Stored("config:redis:a"));
        Assert.Equal("{\"host\": \"h2\", \"port\": 2}", Stored("config:redis:b"));
        Assert.Equal("{\"url\": \"http://x\"}", Stored("config:service:svc"));
    }

    [Fact]
    public void WholeAndFractionalTimeoutsFromHashtablesAreAccepted()
    {
        ps.Run("Set-RedisComponentConfig -Component t -Config ([ordered]@{ host = 'h'; socket_timeout = 1; socket_connect_timeout = 2.5 })").ThrowIfFailed();
        Assert.Equal("{\"host\": \"h\", \"socket_timeout\": 1, \"socket_connect_timeout\": 2.5}", Stored("config:redis:t"));
    }

    [Theory]
    [InlineData("@{ host = 'h'; port = 0 }", "'port' must be between 1 and 65535")]
    [InlineData("@{ host = 'h'; db = -2 }", "'db' must be between 0")]
    [InlineData("@{ host = 'h'; ssl = 'yes' }", "'ssl' must be true or false")]
    [InlineData("'[1, 2]'", "must be an object")]
    [InlineData("'{nope'", "not JSON")]
    public void SetRejectsInvalidRedisConfigs(string config, string why)
    {
        var error = ps.Run($"Set-RedisComponentConfig -Component bad -Config {config}").SingleError();
        Assert.StartsWith("ComponentConfigInvalid,", error.FullyQualifiedErrorId);
        Assert.Contains(why, error.ErrorDetails.Message);
        Assert.Contains("config:redis:bad", error.ErrorDetails.Message);
        Assert.Null(Stored("config:redis:bad"));
    }

    [Fact]
    public void WhatIfWritesAndRemovesNothing()
    {
        ps.Run("Set-RedisComponentConfig -Component w -ConnectionString 'h:1' -WhatIf").ThrowIfFailed();
        Assert.Null(Stored("config:redis:w"));
        configServer.Db().StringSet("config:redis:keep", "{}");
        ps.Run("Remove-RedisComponentConfig keep -WhatIf").ThrowIfFailed();
        Assert.NotNull(Stored("config:redis:keep"));
    }

    [Fact]
    public void GetListsAllWithScanAndFiltersWithWildcards()
    {
        for (var i = 0; i < 30; i++) configServer.Db().StringSet($"config:redis:svc{i:00}", "{\"host\": \"h\"}");
        configServer.Db().StringSet("config:other:svc99", "{}");
        configServer.ResetStats();

        var all = ps.Run("Get-RedisComponentConfig").ThrowIfFailed().All<ComponentConfigInfo>();
        Assert.Equal(30, all.Count);
        Assert.Equal(0, configServer.CommandCalls("keys"));
        Assert.True(configServer.CommandCalls("scan") >= 1);

        var some = ps.Run("Get-RedisComponentConfig 'svc1*'").ThrowIfFailed().All<ComponentConfigInfo>();
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"svc{i}"), some.Select(c => c.Component).OrderBy(c => c));
        Assert.Equal("svc99", ps.Run("Get-RedisComponentConfig -Type other").ThrowIfFailed().Single<ComponentConfigInfo>().Component);
    }

    [Fact]
    public void RemoveDeletesAndPipesFromGet()
    {
        configServer.Db().StringSet("config:redis:r1", "{}");
        configServer.Db().StringSet("config:redis:r2", "{}");
        ps.Run("Get-RedisComponentConfig 'r*' | Remove-RedisComponentConfig").ThrowIfFailed();
        Assert.Null(Stored("config:redis:r1"));
        Assert.Null(Stored("config:redis:r2"));
        var error = ps.Run("Remove-RedisComponentConfig r1").SingleError();
        Assert.StartsWith("ComponentConfigNotFound,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void MaintenanceFlagIsTheBooksKeyAndCachedOneSecondPerSession()
    {
        using var other = new PsHost(configServer.Endpoint);
        Assert.Equal(false, other.Run("Test-RedisMaintenance").ThrowIfFailed().Output.Single().BaseObject);

        ps.Run("Enable-RedisMaintenance").ThrowIfFailed();
        Assert.Equal("yes", Stored("is-under-maintenance"));
        Assert.Equal(true, ps.Run("Test-RedisMaintenance").Output.Single().BaseObject); // this session knows at once
        configServer.ResetStats();
        Wait.Until(() => (bool)other.Run("Test-RedisMaintenance").Output.Single().BaseObject, "the other session to see the flag within its 1 s cache", seconds: 3);
        Assert.True(configServer.CommandCalls("get") <= 2, "Test-RedisMaintenance reads the server at most once a second");

        ps.Run("Disable-RedisMaintenance").ThrowIfFailed();
        Assert.Null(Stored("is-under-maintenance"));
        Assert.Equal(false, ps.Run("Test-RedisMaintenance").Output.Single().BaseObject);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("", false)]
    public void AnyNonEmptyFlagValueMeansMaintenanceLikeTheBook(string value, bool expected)
    {
        // The book: IS_UNDER_MAINTENANCE = bool(conn.get('is-under-maintenance'))
        configServer.Db().StringSet("is-under-maintenance", value);
        Assert.Equal(expected, ps.Run("Test-RedisMaintenance").Output.Single().BaseObject);
    }

    public void Dispose()
    {
        ps.Dispose();
        configServer.Dispose();
    }
}
