using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections.Commands;

/// <summary>Disconnect-RedisComponent: forgets cached connections, so the next use re-reads the config.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "RedisComponent")]
[OutputType(typeof(void))]
public sealed class DisconnectRedisComponentCommand : RedisComponentsCmdlet
{
    /// <summary>Components to forget; all of them when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string[]? Component { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Session.Forget(Component))
        {
            WriteVerbose($"Forgot the connection of component '{name}'; it closes once nothing else uses it.");
        }
    }
}
