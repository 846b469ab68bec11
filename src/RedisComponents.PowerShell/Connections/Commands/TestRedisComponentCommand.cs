using System;
using System.Management.Automation;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Connections.Commands;

/// <summary>Test-RedisComponent: resolves each component and PINGs its Redis.</summary>
[Cmdlet(VerbsDiagnostic.Test, "RedisComponent")]
[OutputType(typeof(ComponentTestResult))]
[OutputType(typeof(bool))]
public sealed class TestRedisComponentCommand : RedisComponentsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string[] Component { get; set; } = Array.Empty<string>();

    /// <summary>Return only $true/$false per component (for if-statements and Pester's Should -BeTrue).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Component)
        {
            var result = Probe(name);
            if (Quiet) WriteObject(result.Reachable);
            else WriteObject(result);
        }
    }

    private ComponentTestResult Probe(string name)
    {
        ComponentConnection? connection = null;
        try
        {
            connection = Session.Resolve(name, WriteWarning);
            var latency = connection.Database.Ping();
            return new ComponentTestResult(name, true, latency.TotalMilliseconds, connection.Endpoint, null);
        }
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex))
        {
            var failure = connection?.Classify(ex) ?? ex as ComponentException;
            var message = failure?.Message ?? $"Redis at {connection?.Endpoint} did not answer PING: {RedisErrorText.Short(ex.Message)}";
            WriteVerbose($"Component '{name}': {message}");
            return new ComponentTestResult(name, false, null, connection?.Endpoint ?? (failure?.Failure is ComponentFailure.ComponentUnreachable or ComponentFailure.AuthenticationFailed ? failure.Server : null), message);
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
