using System;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections.Faults;

/// <summary>What the fault tests share: a config server, 1 s timeouts, and the checks every classified failure must pass.</summary>
internal static class FaultHosts
{
    public static string Config(string host, int port, int db = 0) =>
        $"{{\"host\": \"{host}\", \"port\": {port}, \"db\": {db}, \"socket_timeout\": 1, \"socket_connect_timeout\": 1}}";

    public static void SetConfig(this RedisServer configServer, string component, string json) =>
        configServer.Db().StringSet("config:redis:" + component, json);

    /// <summary>A classified failure: the module's id, no raw exception, a short message without the client's dump.</summary>
    public static ErrorRecord AssertClassified(this ErrorRecord error, string id)
    {
        Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
        var message = error.ErrorDetails?.Message ?? error.Exception.Message;
        Assert.DoesNotContain("IOCP", message);
        Assert.DoesNotContain("WORKER", message);
        Assert.DoesNotContain("StackExchange.Redis", message);
        Assert.True(message.Length < 600, $"message too long ({message.Length}): {message}");
        return error;
    }

    /// <summary>The run ended (no hang), raised nothing terminating, and every error is classified with <paramref name="id"/>.</summary>
    public static PsResult AssertOnlyErrors(this PsResult result, string id)
    {
        Assert.True(result.Terminating is null, "terminating: " + result.Terminating);
        Assert.NotEmpty(result.Errors);
        foreach (var e in result.Errors) e.AssertClassified(id);
        return result;
    }

    /// <summary>Runs a script, failing the test (instead of hanging it) when it does not return within <paramref name="seconds"/>.</summary>
    public static PsResult RunBounded(this PsHost ps, string script, double seconds = 30, System.Collections.Generic.Dictionary<string, object?>? variables = null)
    {
        var run = System.Threading.Tasks.Task.Run(() => ps.Run(script, variables));
        Assert.True(run.Wait(TimeSpan.FromSeconds(seconds)), $"'{script}' did not return within {seconds} s");
        return run.Result;
    }

    public static int Count(this PsResult result, string id) => result.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith(id + ",", StringComparison.Ordinal));
}
