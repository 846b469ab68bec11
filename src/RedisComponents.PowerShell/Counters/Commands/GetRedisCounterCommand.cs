using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>Get-RedisCounter: the book's <c>get_counter</c> (5.2.1), samples oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "RedisCounter")]
[OutputType(typeof(CounterSample))]
public sealed class GetRedisCounterCommand : ComponentCmdlet
{
    /// <summary>The counter's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The slot length in seconds: one of the book's precisions.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("1", "5", "60", "300", "3600", "18000", "86400")]
    public int Precision { get; set; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var key = CounterStore.KeyFor(Precision, Name);
        Guard(connection, () =>
        {
            var samples = CounterStore.Read(connection.Database, Name, Precision);
            if (samples.Count == 0) WriteVerbose($"Counter '{key}' on component '{connection.Component}' ({connection.Endpoint}) has no samples.");
            WriteObject(samples, enumerateCollection: true);
        }, key);
    }
}
