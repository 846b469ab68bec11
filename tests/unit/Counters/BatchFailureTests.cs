using System;
using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>A batch the server refuses is one non-terminating RedisCommandFailed, and the pipeline goes on.</summary>
public sealed class BatchFailureTests : IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    [Fact]
    public void EachRefusedCounterBatchIsReportedOnceAsRedisCommandFailed()
    {
        server.Db().StringSet("known:", "not a sorted set");
        using var ps = new PsHost(server.Endpoint);
        ps.Run("Set-RedisComponentConfig -Component app -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();

        var result = ps.Run("1..2500 | ForEach-Object { \"c$_\" } | Update-RedisCounter -Component app; 'after'");

        Assert.Equal(3, result.Errors.Count); // batches of 1000: 1000 + 1000 + 500
        Assert.All(result.Errors, e => Assert.StartsWith("RedisCommandFailed,", e.FullyQualifiedErrorId));
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
    }

    public void Dispose() => server.Dispose();
}
