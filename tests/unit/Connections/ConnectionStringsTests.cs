using System;
using System.Collections;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

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
    public void SeveralHostsWithoutServiceNameAreTheStartupNodesOfACluster()
    {
        var dict = ConnectionStrings.ToRedisPyArguments("a:7000,b:7001,c,password=s3cret,user=ops,ssl=true,connectTimeout=1500,syncTimeout=2500,name=web,protocol=resp3");
        Assert.Equal(
            """{"startup_nodes": [{"host": "a", "port": 7000}, {"host": "b", "port": 7001}, {"host": "c", "port": 6380}], "username": "ops", "password": "s3cret", "ssl": true, "socket_timeout": 2.5, "socket_connect_timeout": 1.5, "client_name": "web", "protocol": 3}""",
            PythonJson.Serialize(PythonJson.ToNode(dict)));
        var config = ConnectionStrings.ToConfig("10.0.0.1:7000,10.0.0.2:7000");
        Assert.True(config.NamesCluster);
        Assert.Equal(new[] { ("10.0.0.1", 7000), ("10.0.0.2", 7000) }, config.StartupNodes);
        // No db for redis-py RedisCluster (it refuses the argument); a db other than 0 is the config's error, as with -Config.
        Assert.False(ConnectionStrings.ToRedisPyArguments("a:1,b:2").Contains("db"));
        Assert.Contains("database 0", Assert.Throws<FormatException>(() => ConnectionStrings.ToConfig("a:1,b:2,defaultDatabase=3")).Message);
    }

    [Fact]
    public void SeveralHostsWithServiceNameStayTheSentinels()
    {
        var dict = ConnectionStrings.ToRedisPyArguments("s1:26379,s2,serviceName=mymaster");
        Assert.Equal("mymaster", dict["service_name"]);
        Assert.False(dict.Contains("startup_nodes"));
    }

    [Theory]
    [InlineData("a:1,password=abc,Dm2wTopSecret")]
    [InlineData("a:1,b:2,password=abc,q7Ls:99")]
    [InlineData("password=abc,Dm2wTopSecret")]
    public void AHostAfterPasswordIsRefusedWithoutShowingIt(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ConnectionStrings.ToRedisPyArguments(text));
        Assert.Contains("after password=", ex.Message);
        Assert.Contains("-Credential", ex.Message);
        foreach (var fragment in new[] { "abc", "Dm2w", "q7Ls" }) Assert.DoesNotContain(fragment, ex.Message);
    }
}
