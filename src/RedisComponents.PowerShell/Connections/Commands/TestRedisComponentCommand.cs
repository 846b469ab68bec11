using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Configuration;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections.Commands;

/// <summary>Test-RedisComponent: resolves each component and PINGs its Redis, all of one call's components at once.</summary>
[Cmdlet(VerbsDiagnostic.Test, "RedisComponent")]
[OutputType(typeof(ComponentTestResult))]
[OutputType(typeof(bool))]
public sealed class TestRedisComponentCommand : RedisComponentsCmdlet
{
    /// <summary>Components to test; wildcards match the configs on the config server and the cached connections.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string[] Component { get; set; } = Array.Empty<string>();

    /// <summary>Return only $true/$false per component (for if-statements and Pester's Should -BeTrue).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var names = Expand();
        var session = Session; // looked up on the pipeline thread: the probes run on the thread pool
        var messages = new ConcurrentQueue<(bool Warning, string Text)>();
        // Concurrently: the total is the slowest component's time, not the sum.
        var probes = names.Select(name => Task.Run(() => Probe(session, name, messages))).ToArray();
        try
        {
            Task.WaitAll(probes, StopToken);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        foreach (var (warning, text) in messages)
        {
            if (warning) WriteWarning(text);
            else WriteVerbose(text);
        }
        foreach (var result in probes.Select(p => p.Result))
        {
            if (Quiet) WriteObject(result.Reachable);
            else WriteObject(result);
        }
    }

    private List<string> Expand()
    {
        var names = new List<string>();
        List<string>? known = null;
        foreach (var name in Component)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name))
            {
                names.Add(name);
                continue;
            }
            known ??= KnownComponents();
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            names.AddRange(known.Where(pattern.IsMatch));
        }
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Components configured on the config server, plus those this session has cached.</summary>
    private List<string> KnownComponents()
    {
        var known = new SortedSet<string>(Session.Connections.Select(c => c.Component), StringComparer.OrdinalIgnoreCase);
        GuardConfigServer(ConfigStore.KeyFor(ConfigStore.RedisType, "*"), () =>
        {
            var server = Session.ConfigServer;
            foreach (var name in ConfigStore.ListComponents(server.Servers, server.Database, ConfigStore.RedisType)) known.Add(name);
        });
        return known.ToList();
    }

    private ComponentTestResult Probe(ComponentSession session, string name, ConcurrentQueue<(bool, string)> messages)
    {
        ComponentConnection? connection = null;
        try
        {
            connection = session.Resolve(name, w => messages.Enqueue((true, w)), StopToken);
            var latency = connection.Database.Ping();
            return new ComponentTestResult(name, true, latency.TotalMilliseconds, connection.Endpoint, null);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            return new ComponentTestResult(name, false, null, connection?.Endpoint, "The test was stopped.");
        }
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex))
        {
            var failure = connection?.Classify(ex) ?? RedisFaults.Unwrap(ex) as ComponentException;
            var message = failure?.Message ?? $"Redis at {connection?.Endpoint} did not answer PING: {RedisErrorText.Short(RedisFaults.Unwrap(ex).Message)}";
            messages.Enqueue((false, $"Component '{name}': {message}"));
            // A component that never resolved has no endpoint of its own: the config server is not it.
            var endpoint = connection?.Endpoint
                ?? (failure?.Failure is ComponentFailure.ComponentUnreachable or ComponentFailure.AuthenticationFailed ? failure.Server : null);
            return new ComponentTestResult(name, false, null, endpoint, message);
        }
        finally
        {
            connection?.Dispose();
        }
    }
}

/// <summary>One Test-RedisComponent result. Holds no secret.</summary>
public sealed class ComponentTestResult(string component, bool reachable, double? latencyMs, string? endpoint, string? error)
{
    public string Component { get; } = component;
    public bool Reachable { get; } = reachable;
    public double? LatencyMs { get; } = latencyMs;
    public string? Endpoint { get; } = endpoint;
    public string? Error { get; } = error;

    public override string ToString() => $"{Component}: {(Reachable ? "reachable" : "unreachable")}";
}
