using System;
using System.Threading;
using System.Threading.Tasks;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Testcontainers.Redis;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// Gives tests real Redis servers: REDIS_COMPONENTS_TEST_REDIS if set; else Testcontainers when a Docker
/// engine answers; else redis-server from PATH. Fails with one message saying how to get a Redis.
/// </summary>
public static class TestRedis
{
    public const string EnvironmentVariable = "REDIS_COMPONENTS_TEST_REDIS";

    private static readonly Lazy<bool> DockerWorks = new(ProbeDocker, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<RedisServer> SharedServer = new(CreateShared, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>One server for tests that only need "a Redis" and use unique key names.</summary>
    public static RedisServer Shared => SharedServer.Value;

    /// <summary>A server of the test's own, which it may stop and restart and must dispose.</summary>
    public static RedisServer StartOwned()
    {
        if (DockerWorks.Value) return new ContainerRedisServer();
        if (ProcessRedisServer.IsAvailable) return new ProcessRedisServer();
        throw new InvalidOperationException(
            "No Redis for the tests: set REDIS_COMPONENTS_TEST_REDIS=host:port, start a Docker engine, " +
            "or install redis-server on PATH (Debian/Ubuntu: apt-get install -y redis-server).");
    }

    private static RedisServer CreateShared()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(external) ? StartOwned() : new ExternalRedisServer(external.Trim());
    }

    private static bool ProbeDocker()
    {
        if (Environment.GetEnvironmentVariable("REDIS_COMPONENTS_TEST_NO_DOCKER") == "1") return false;
        try
        {
            var container = new RedisBuilder().WithImage("redis:7.0").Build();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            container.StartAsync(cts.Token).GetAwaiter().GetResult();
            container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception)
        {
            // DockerUnavailableException (no engine) arrives within about a second; any other failure also means "not here".
            return false;
        }
    }
}

/// <summary>A Testcontainers Redis bound to a fixed host port, so a restart keeps the address.</summary>
internal sealed class ContainerRedisServer : RedisServer
{
    private readonly RedisContainer container;

    public ContainerRedisServer()
    {
        Port = ProcessRedisServer.FreePort();
        container = new RedisBuilder().WithImage("redis:7.0").WithPortBinding(Port, 6379).Build();
        Start();
    }

    public override bool Controllable => true;

    public override void Start() => Run(container.StartAsync());

    public override void Stop()
    {
        DropAdmin();
        Run(container.StopAsync());
    }

    public override void Dispose()
    {
        base.Dispose();
        Run(container.DisposeAsync().AsTask());
    }

    private static void Run(Task task) => task.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
}
