using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections.Commands;

/// <summary>Disconnect-RedisComponent: forgets cached connections, so the next use re-reads the config.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "RedisComponent")]
[OutputType(typeof(void))]
public sealed class DisconnectRedisComponentCommand : RedisComponentsCmdlet
{
    /// <summary>Components to forget (wildcards match the cached ones); all of them when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string[]? Component { get; set; }

    protected override void ProcessRecord()
    {
        var forgotten = Component is null
            ? Session.Forget((System.Collections.Generic.IEnumerable<string>?)null)
            : Session.Forget(name => Matches(name));
        foreach (var name in forgotten)
        {
            WriteVerbose($"Forgot the connection of component '{name}'; it closes once nothing else uses it.");
        }
    }

    private bool Matches(string name)
    {
        foreach (var pattern in Component!)
        {
            if (WildcardPattern.ContainsWildcardCharacters(pattern)
                    ? new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch(name)
                    : pattern == name)
            {
                return true;
            }
        }
        return false;
    }
}
