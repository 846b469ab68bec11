using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration.Commands;

/// <summary>Get-RedisComponentConfig: the book's <c>get_config</c>, plus listing with SCAN.</summary>
[Cmdlet(VerbsCommon.Get, "RedisComponentConfig")]
[OutputType(typeof(ComponentConfigInfo))]
public sealed class GetRedisComponentConfigCommand : RedisComponentsCmdlet
{
    /// <summary>Component names (wildcards allowed); all components of the type when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string[]? Component { get; set; }

    [Parameter]
    [ValidatePattern("^[^:*?\\[\\]]+$")]
    [ArgumentCompleter(typeof(ConfigTypeCompleter))]
    public string Type { get; set; } = ConfigStore.RedisType;

    /// <summary>Return the password as stored instead of masked.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    protected override void ProcessRecord()
    {
        var server = Session.ConfigServer;
        var target = Component is null ? $"config:{Type}:*" : string.Join(", ", Component.Select(c => ConfigStore.KeyFor(Type, c)));
        GuardConfigServer(target, () =>
        {
            var db = server.GetDatabase();
            if (Component is null)
            {
                foreach (var (name, json) in Sorted(ConfigStore.ReadAll(server.Servers, db, Type, server.IsCluster))) Emit(name, json);
                return;
            }
            foreach (var name in Component)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    foreach (var (found, json) in Sorted(ConfigStore.ReadAll(server.Servers, db, Type, server.IsCluster).Where(p => pattern.IsMatch(p.Key)))) Emit(found, json);
                    continue;
                }
                var value = ConfigStore.Read(db, Type, name);
                if (value is null)
                {
                    var key = ConfigStore.KeyFor(Type, name);
                    WriteError(ErrorRecords.Create("ComponentConfigNotFound", ErrorCategory.ObjectNotFound, name,
                        $"Component '{name}' has no config: key '{key}' does not exist on config server {server.Display}. Create it with Set-RedisComponentConfig."));
                    continue;
                }
                Emit(name, value);
            }
        });
    }

    /// <summary>Listings come sorted by component name (SCAN order is arbitrary), as every Get-* lists.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Sorted(IEnumerable<KeyValuePair<string, string>> configs) =>
        configs.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Key, StringComparer.Ordinal);

    private void Emit(string component, string json) =>
        WriteObject(ComponentConfigInfo.FromJson(Type, component, json, Session.ConfigServer.Display, AsPlainText));
}
