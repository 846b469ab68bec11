using System;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections.Commands;

/// <summary>Get-RedisComponentConnection: the connections this session has resolved.</summary>
[Cmdlet(VerbsCommon.Get, "RedisComponentConnection")]
[OutputType(typeof(ComponentConnectionInfo))]
public sealed class GetRedisComponentConnectionCommand : RedisComponentsCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string[]? Component { get; set; }

    protected override void ProcessRecord()
    {
        // Sorted by component, as every listing of the module.
        var connections = Session.Connections.OrderBy(c => c.Component, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Component, StringComparer.Ordinal).ToList();
        if (Component is null)
        {
            WriteObject(connections, enumerateCollection: true);
            return;
        }
        foreach (var name in Component)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = connections.Where(c => pattern.IsMatch(c.Component)).ToList();
            WriteObject(matches, enumerateCollection: true);
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ErrorRecords.Create("ComponentConnectionNotFound", ErrorCategory.ObjectNotFound, name,
                    $"This session holds no connection for component '{name}'. A data cmdlet with -Component '{name}' (or Test-RedisComponent '{name}') resolves one."));
            }
        }
    }
}
