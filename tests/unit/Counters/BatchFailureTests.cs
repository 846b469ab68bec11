using System;
using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>A batch the server refuses is one non-terminating RedisCommandFailed, and the pipeline goes on.</summary>
public sealed class BatchFailureTests : IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    [Fact]
    public void AWrongTypedKnownKeyIsOneRedisCommandFailedPerBatchAndWritesNothing()
    {
        server.Db().StringSet("known:", "not a sorted set");
        using var ps = new PsHost(server.Endpoint);
        ps.Run("Set-RedisComponentConfig -Component app -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();

        // One binding of 2500 names: one batch (piped names may be split by the writer's 200 ms age flush).
        var result = ps.Run("Update-RedisCounter -Component app -Name (1..2500 | ForEach-Object { \"c$_\" }); 'after'");

        Assert.Single(result.Errors); // one batch of up to 10000 names
        Assert.All(result.Errors, e => Assert.StartsWith("RedisCommandFailed,", e.FullyQualifiedErrorId));
        Assert.Contains("'known:'", result.Errors[0].ErrorDetails.Message);
        Assert.Contains("2500 update(s)", result.Errors[0].ErrorDetails.Message);
        Assert.False(server.Db().KeyExists("count:60:c1"));
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
    }

    public void Dispose() => server.Dispose();
}
