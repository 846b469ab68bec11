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

    /// <summary>A config for a server that stays up: 5 s timeouts, so a loaded machine's slow connect is no failure.</summary>
    public static string HealthyConfig(string host, int port, int db = 0) =>
        $"{{\"host\": \"{host}\", \"port\": {port}, \"db\": {db}, \"socket_timeout\": 5, \"socket_connect_timeout\": 5}}";

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
        Assert.DoesNotContain("inst:", message);
        Assert.DoesNotContain("mc:", message);
        Assert.True(message.Length < 600, $"message too long ({message.Length}): {message}");
        Assert.IsNotType<RuntimeException>(error.Exception);
        return error;
    }

    /// <summary>A config-server failure: ConfigServerUnreachable, one short sentence (plus what to do) naming the server.</summary>
    public static ErrorRecord AssertConfigServerDown(this ErrorRecord error, string server)
    {
        error.AssertClassified("ConfigServerUnreachable");
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        var message = error.ErrorDetails.Message;
        Assert.Contains(server, message);
        Assert.True(message.Length < 300, $"message too long ({message.Length}): {message}");
        return error;
    }

    /// <summary>
    /// How many items the errors say were not written: a batch's error says "N messages for ... were not
    /// written"; an error of the component's resolution (no count) is about the one record being processed.
    /// </summary>
    public static int NotWritten(this PsResult result) => result.Errors.Sum(e =>
    {
        var m = System.Text.RegularExpressions.Regex.Match(e.ErrorDetails?.Message ?? "", @"^(\d+) \w+ for .* were not written");
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
    });

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
