using System;
using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration.Commands;

/// <summary>Remove-RedisComponentConfig: deletes <c>config:&lt;type&gt;:&lt;component&gt;</c>.</summary>
[Cmdlet(VerbsCommon.Remove, "RedisComponentConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveRedisComponentConfigCommand : RedisComponentsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string Component { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[^:*?\\[\\]]+$")]
    [ArgumentCompleter(typeof(ConfigTypeCompleter))]
    public string Type { get; set; } = ConfigStore.RedisType;

    protected override void ProcessRecord()
    {
        var server = Session.ConfigServer;
        var key = ConfigStore.KeyFor(Type, Component);
        if (!ShouldProcess($"{key} on config server {server.Display}", "Remove component config")) return;
        GuardConfigServer(key, () =>
        {
            if (!ConfigStore.Remove(server.GetDatabase(), Type, Component))
            {
                WriteError(ErrorRecords.Create("ComponentConfigNotFound", ErrorCategory.ObjectNotFound, Component,
                    $"Component '{Component}' has no config to remove: key '{key}' does not exist on config server {server.Display}."));
                return;
            }
            WriteVerbose($"Removed {key} from config server {server.Display}.");
        });
    }
}
