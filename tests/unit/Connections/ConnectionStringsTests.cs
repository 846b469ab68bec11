using System;
using System.Collections;
using RedisComponents.Connections;

namespace RedisComponents.Tests.Connections;

public class ConnectionStringsTests
{
    [Fact]
    public void ParsesAStackExchangeRedisConfigurationString()
    {
        var options = ConnectionStrings.Parse("cache01:6390,password=secret,defaultDatabase=2,ssl=true");
        Assert.Equal("cache01:6390/2", ConnectionStrings.Describe(options));
        Assert.Equal("secret", options.Password);
        Assert.True(options.Ssl);
    }

    [Fact]
    public void ParsesARedisUrlWithEscapedCredentialsAndDatabase()
    {
        var options = ConnectionStrings.Parse("redis://app:p%40ss%2Cword@cache01:6390/4");
        Assert.Equal("app", options.User);
        Assert.Equal("p@ss,word", options.Password);
        Assert.Equal(4, options.DefaultDatabase);
        Assert.Equal("cache01:6390/4", ConnectionStrings.Describe(options));
    }

    [Fact]
    public void RedissUrlMeansSslOnPort6380ByDefault()
    {
        var options = ConnectionStrings.Parse("rediss://cache01");
        Assert.True(options.Ssl);
        Assert.Equal("cache01:6380", ConnectionStrings.Describe(options));
    }

    [Fact]
    public void ABarePasswordInAUrlIsThePassword()
    {
        Assert.Equal("secret", ConnectionStrings.Parse("redis://secret@h:1").Password);
    }

    [Theory]
    [InlineData("")]
    [InlineData("redis://h:1/notadb")]
    [InlineData("h:1,bogusOption=3")]
    public void RejectsBadStrings(string text)
    {
        Assert.Throws<FormatException>(() => ConnectionStrings.Parse(text));
    }

    [Fact]
    public void DescribeNeverShowsThePassword()
    {
        Assert.DoesNotContain("hunter2", ConnectionStrings.Describe(ConnectionStrings.Parse("redis://u:hunter2@h:1/3")));
    }

    [Fact]
    public void ConvertsToTheBooksArgumentsInOrder()
    {
        var dict = ConnectionStrings.ToRedisPyArguments("redis://u:pw@cache01:6390/2");
        Assert.Equal(new object[] { "host", "port", "db", "username", "password" }, new ArrayList(dict.Keys).ToArray());
        Assert.Equal("cache01", dict["host"]);
        Assert.Equal(6390, dict["port"]);
        Assert.Equal(2, dict["db"]);
    }

    [Fact]
    public void AComponentConfigNamesOneServer()
    {
        var ex = Assert.Throws<FormatException>(() => ConnectionStrings.ToRedisPyArguments("a:1,b:2"));
        Assert.Contains("exactly one server", ex.Message);
    }
}
