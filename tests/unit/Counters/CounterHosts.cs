using System;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>Runspaces with a component pointing at a test Redis, and unique names for shared servers.</summary>
internal static class CounterHosts
{
    public static PsHost WithComponent(RedisServer server, string component = "app")
    {
        var ps = new PsHost(server.Endpoint, refreshSeconds: 0);
        ps.Run("Set-RedisComponentConfig -Component $c -ConnectionString $e", new() { ["c"] = component, ["e"] = server.Endpoint }).ThrowIfFailed();
        return ps;
    }

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
