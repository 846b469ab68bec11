using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Bench;

/// <summary>P1 "ours": a PING through the ComponentCmdlet base (resolution, cache check, lease, Guard).</summary>
[Cmdlet(VerbsLifecycle.Invoke, "BenchComponentPing")]
[OutputType(typeof(double))]
public sealed class InvokeBenchComponentPingCommand : ComponentCmdlet
{
    protected override void ProcessRecord(ComponentConnection connection) =>
        WriteObject(connection.Database.Ping().TotalMilliseconds);
}

/// <summary>P1 baseline: the same cmdlet shape, PING through one raw StackExchange.Redis multiplexer.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "BenchRawPing")]
[OutputType(typeof(double))]
public sealed class InvokeBenchRawPingCommand : PSCmdlet
{
    /// <summary>Set once by the scenario before it runs.</summary>
    internal static IDatabase? Database { get; set; }

    [Parameter(Mandatory = true)]
    public string Component { get; set; } = "";

    protected override void ProcessRecord() => WriteObject(Database!.Ping().TotalMilliseconds);
}
