using System.Management.Automation;

namespace RedisComponents.Configuration.Commands;

/// <summary>Enable-RedisMaintenance: sets <c>is-under-maintenance</c> to <c>yes</c> on the config server (book 5.4.1).</summary>
[Cmdlet(VerbsLifecycle.Enable, "RedisMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(bool))]
public sealed class EnableRedisMaintenanceCommand : MaintenanceSwitchCommand
{
    private protected override bool TurnOn => true;
}
