using System;
using RedisComponents.Connections;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>
/// Every key that would change where the module connects and that it cannot honour is refused
/// (ComponentConfigInvalid), never warned about and replaced by localhost:6379; harmless redis-py keys pass.
/// </summary>
public sealed class RefusedKeysTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();

    [Theory]
    [InlineData("""{"startup_nodes": [{"host": "127.0.0.1", "port": 7000}], "db": 1}""", "a Redis Cluster has only database 0")]
    [InlineData("""{"host": "h", "cluster": true}""", "'cluster' cannot be honoured")]
    [InlineData("""{"host": "h", "read_from_replicas": true}""", "'read_from_replicas' cannot be honoured")]
    [InlineData("""{"url": "redis://h:1"}""", "'url' cannot be honoured")]
    [InlineData("""{"connection_pool": "x"}""", "'connection_pool' cannot be honoured")]
    [InlineData("""{"host": "h", "address_remap": "x"}""", "'address_remap' cannot be honoured")]
    [InlineData("""{"host": "h", "host_port_remap": []}""", "'host_port_remap' cannot be honoured")]
    [InlineData("""{"host": "h", "connection_class": "SSLConnection"}""", "'connection_class' cannot be honoured")]
    [InlineData("""{"host": "h", "ssl": true, "ssl_validate_ocsp": true}""", "'ssl_validate_ocsp' cannot be honoured")]
    [InlineData("""{"host": "h", "ssl": true, "ssl_validate_ocsp_stapled": true}""", "'ssl_validate_ocsp_stapled' cannot be honoured")]
    [InlineData("""{"host": "h", "ssl": true, "ssl_ocsp_context": "x"}""", "'ssl_ocsp_context' cannot be honoured")]
    [InlineData("""{"host": "h", "ssl": true, "ssl_ocsp_expected_cert": "x"}""", "'ssl_ocsp_expected_cert' cannot be honoured")]
    [InlineData("""{"service_name": "m"}""", "needs both 'service_name'")]
    [InlineData("""{"sentinels": [["h", 26379]]}""", "needs both 'service_name'")]
    [InlineData("""{"service_name": "m", "sentinels": "h:26379"}""", "'sentinels' must be a non-empty list")]
    [InlineData("""{"service_name": "m", "sentinels": [["h"]]}""", "item 1 is not a pair")]
    [InlineData("""{"service_name": "m", "sentinels": [["h", 26379]], "sentinel_kwargs": {"retry": 1}}""", "'sentinel_kwargs' key 'retry' is not supported")]
    [InlineData("""{"host": "h", "sentinel_kwargs": {}}""", "'sentinel_kwargs' needs 'service_name'")]
    [InlineData("""{"unix_socket_path": "/tmp/r.sock", "ssl": true}""", "cannot be combined")]
    [InlineData("""{"unix_socket_path": ""}""", "'unix_socket_path' must be a socket path")]
    [InlineData("""{"host": "h", "protocol": 4}""", "'protocol' must be 2 (RESP2) or 3 (RESP3)")]
    [InlineData("""{"host": "h", "ssl_ca_certs": "/etc/ssl/ca.pem"}""", "need \"ssl\": true")]
    [InlineData("""{"host": "h", "ssl": true, "ssl_cert_reqs": "sometimes"}""", "'ssl_cert_reqs' must be")]
    public void KeysThatWouldConnectElsewhereAreRefusedSayingWhy(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => RedisPyConfig.Parse(json));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void HarmlessRedisPyKeysAreAcceptedSilently()
    {
        var config = RedisPyConfig.Parse("""
            {"host": "h", "decode_responses": true, "encoding": "utf-8", "encoding_errors": "strict", "health_check_interval": 30,
             "retry_on_timeout": true, "socket_keepalive": true, "max_connections": 10, "single_connection_client": false,
             "lib_name": "x", "lib_version": "1", "protocol": 3, "client_name": "billing"}
            """);
        Assert.Empty(config.UnknownKeys);
        Assert.Equal(3, config.Protocol);
        Assert.Equal(StackExchange.Redis.RedisProtocol.Resp3, config.ToOptions().Protocol);
        Assert.Equal("billing", config.ToOptions().ClientName);
    }

    [Fact]
    public void SetRefusesThemAndAConfigWrittenAroundSetIsInvalidNotLocalhost()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        foreach (var script in new[]
        {
            "Set-RedisComponentConfig -Component cl -Config @{ startup_nodes = @(@{ host = '127.0.0.1'; port = 7000 }); db = 3 }",
            "Set-RedisComponentConfig -Component cl -Config @{ host = '127.0.0.1'; cluster = $true }",
            "Set-RedisComponentConfig -Component cl -Config '{\"host\": \"127.0.0.1\", \"protocol\": \"resp3\"}'",
        })
        {
            var error = ps.Run(script).SingleError();
            Assert.StartsWith("ComponentConfigInvalid,", error.FullyQualifiedErrorId);
            Assert.Contains("config:redis:cl", error.ErrorDetails.Message);
        }
        Assert.False(configServer.Db().KeyExists("config:redis:cl"));

        // Written by another tool: the data cmdlets refuse it rather than connect to redis-py's default localhost:6379.
        configServer.Db().StringSet("config:redis:cl", """{"startup_nodes": [{"host": "127.0.0.1", "port": 7000}], "db": 2}""");
        var use = ps.Run("Invoke-TestComponentIncrement -Component cl -Key k").SingleError();
        Assert.StartsWith("ComponentConfigInvalid,", use.FullyQualifiedErrorId);
        Assert.Contains("only database 0", use.ErrorDetails.Message);
    }

    [Theory]
    [InlineData("h:1,serviceName=mymaster", "\"service_name\": \"mymaster\"")]
    [InlineData("h:1,syncTimeout=250,connectTimeout=1000,name=billing", "\"socket_timeout\": 0.25")]
    [InlineData("h:1,syncTimeout=250,connectTimeout=1000,name=billing", "\"client_name\": \"billing\"")]
    [InlineData("h:1,syncTimeout=250,connectTimeout=1000,name=billing", "\"socket_connect_timeout\": 1")]
    [InlineData("redis://h:1/0?socket_timeout=0.5&client_name=app", "\"client_name\": \"app\"")]
    [InlineData("rediss://h:1/0?ssl_cert_reqs=none", "\"ssl_cert_reqs\": \"none\"")]
    [InlineData("unix:///run/redis.sock?db=2", "\"unix_socket_path\": \"/run/redis.sock\"")]
    [InlineData("redis+unix:///run/redis.sock?db=2&protocol=3", "\"protocol\": 3")]
    public void ConnectionStringsMapEveryOptionIntoTheJson(string text, string expected)
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0);
        ps.Run("Set-RedisComponentConfig -Component m -ConnectionString $t", new() { ["t"] = text }).ThrowIfFailed();
        Assert.Contains(expected, (string?)configServer.Db().StringGet("config:redis:m") ?? "");
    }

    [Theory]
    [InlineData(",,,=")]
    [InlineData("=")]
    [InlineData("h:1,sslHost=other")]
    [InlineData("h:1,proxy=Twemproxy")]
    [InlineData("redis://h:1/0?colour=blue")]
    public void GarbageAndUnstorableOptionsAreRejected(string text)
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0);
        var error = ps.Run("Set-RedisComponentConfig -Component g -ConnectionString $t", new() { ["t"] = text }).SingleError();
        Assert.StartsWith("ComponentConfigInvalid,", error.FullyQualifiedErrorId);
        Assert.False(configServer.Db().KeyExists("config:redis:g"));
    }

    public void Dispose() => configServer.Dispose();
}
