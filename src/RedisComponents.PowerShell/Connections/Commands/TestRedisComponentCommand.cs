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
        string? endpoint = null;
        try
        {
            using var connection = Session.Resolve(name, WriteWarning);
            endpoint = connection.Endpoint;
            var latency = connection.Database.Ping();
            return new ComponentTestResult(name, true, latency.TotalMilliseconds, endpoint, null);
        }
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex))
        {
            var message = ex is ComponentException ? ex.Message : $"Redis at {endpoint} did not answer PING: {ex.Message}";
            WriteVerbose($"Component '{name}': {message}");
            return new ComponentTestResult(name, false, null, endpoint ?? (ex as ComponentException)?.Server, message);
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
