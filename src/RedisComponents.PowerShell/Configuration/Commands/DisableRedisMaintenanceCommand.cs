using System.Management.Automation;

namespace RedisComponents.Configuration.Commands;

/// <summary>Disable-RedisMaintenance: deletes <c>is-under-maintenance</c> on the config server (book 5.4.1).</summary>
[Cmdlet(VerbsLifecycle.Disable, "RedisMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(bool))]
public sealed class DisableRedisMaintenanceCommand : MaintenanceSwitchCommand
{
    private protected override bool TurnOn => false;
}
