using System;
using System.Linq;
using RedisComponents.Connections;

namespace RedisComponents.Tests.Connections;

public class RedisPyConfigTests
{
    [Fact]
    public void MapsRedisPyArgumentsOntoOptions()
    {
        var config = RedisPyConfig.Parse("""{"host": "cache01", "port": 6390, "db": 3, "username": "app", "password": "p,w=d", "ssl": true, "socket_timeout": 0.5, "socket_connect_timeout": 2}""");
        var options = config.ToOptions();
        Assert.Equal("cache01:6390", config.Endpoint);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal("app", options.User);
        Assert.Equal("p,w=d", options.Password); // a comma in a password survives: options are built, not concatenated
        Assert.True(options.Ssl);
        Assert.Equal(500, options.SyncTimeout);
        Assert.Equal(2000, options.ConnectTimeout);
        Assert.False(options.AbortOnConnectFail);
        Assert.Null(options.ClientName); // no CLIENT SETNAME unless client_name is set: a data-only ACL user has no CLIENT
    }

    [Fact]
    public void DefaultsAreTheBooksWithBoundedTimeouts()
    {
        var options = RedisPyConfig.Parse("{}").ToOptions();
        Assert.Equal("localhost:6379", RedisPyConfig.Parse("{}").Endpoint);
        Assert.Equal(0, options.DefaultDatabase);
        Assert.Equal(5000, options.SyncTimeout);
        Assert.Equal(5000, options.ConnectTimeout);
        Assert.Equal(5000, RedisPyConfig.Parse("""{"socket_timeout": null}""").ToOptions().SyncTimeout);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("\"localhost\"", "not an object")]
    [InlineData("""{"port": "6379"}""", "'port' must be a whole number")]
    [InlineData("""{"port": 0}""", "'port' must be between 1 and 65535")]
    [InlineData("""{"port": 65536}""", "'port' must be between 1 and 65535")]
    [InlineData("""{"db": -1}""", "'db' must be between 0")]
    [InlineData("""{"db": 1.5}""", "'db' must be a whole number")]
    [InlineData("""{"host": 5}""", "'host' must be a string")]
    [InlineData("""{"host": ""}""", "'host' must be a non-empty string")]
    [InlineData("""{"ssl": "yes"}""", "'ssl' must be true or false")]
    [InlineData("""{"socket_timeout": -1}""", "'socket_timeout' must be a number of seconds above 0")]
    [InlineData("""{"password": 123}""", "'password' must be a string or null")]
    public void RejectsInvalidConfigsSayingWhy(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => RedisPyConfig.Parse(json));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void UnknownKeysAreReportedButRedisPyOnlyKeysAreNot()
    {
        var config = RedisPyConfig.Parse("""{"host": "h", "decode_responses": true, "retry_on_timeout": true, "colour": "blue"}""");
        Assert.Equal(new[] { "colour" }, config.UnknownKeys.ToArray());
    }

    [Fact]
    public void EqualSettingsHaveEqualPoolKeysAndPasswordsSeparateThem()
    {
        var a = RedisPyConfig.Parse("""{"host": "h", "port": 1, "db": 0}""");
        var b = RedisPyConfig.Parse("""{"port": 1, "host": "h"}""");
        var c = RedisPyConfig.Parse("""{"port": 1, "host": "h", "password": "x"}""");
        Assert.Equal(a.PoolKey, b.PoolKey);
        Assert.NotEqual(a.PoolKey, c.PoolKey);
        Assert.Matches("^[0-9A-F]{64}$", c.PoolKey);
    }

    [Fact]
    public void DatabaseDoesNotSplitThePool()
    {
        // Two components on one server but different db share a multiplexer: the db is chosen per command.
        var a = RedisPyConfig.Parse("""{"host": "h", "port": 1, "db": 0}""");
        var b = RedisPyConfig.Parse("""{"host": "h", "port": 1, "db": 5}""");
        Assert.Equal(a.PoolKey, b.PoolKey);
    }
}
