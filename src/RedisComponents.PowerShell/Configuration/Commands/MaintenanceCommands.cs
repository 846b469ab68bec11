using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration.Commands;

/// <summary>Enable-RedisMaintenance: sets <c>is-under-maintenance</c> to <c>yes</c> on the config server (book 5.4.1).</summary>
[Cmdlet(VerbsLifecycle.Enable, "RedisMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class EnableRedisMaintenanceCommand : RedisComponentsCmdlet
{
    protected override void EndProcessing()
    {
        var server = Session.ConfigServer;
        if (!ShouldProcess($"{MaintenanceFlag.Key} on config server {server.Display}", "Enable maintenance mode")) return;
        if (GuardConfigServer(MaintenanceFlag.Key, () => MaintenanceFlag.Enable(server.GetDatabase())))
        {
            Session.InvalidateMaintenance();
            WriteVerbose($"Maintenance mode on: {MaintenanceFlag.Key}=yes on {server.Display}. Other sessions see it within {MaintenanceFlag.CacheSeconds} s.");
        }
    }
}

/// <summary>Disable-RedisMaintenance: deletes <c>is-under-maintenance</c> on the config server.</summary>
[Cmdlet(VerbsLifecycle.Disable, "RedisMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class DisableRedisMaintenanceCommand : RedisComponentsCmdlet
{
    protected override void EndProcessing()
    {
        var server = Session.ConfigServer;
        if (!ShouldProcess($"{MaintenanceFlag.Key} on config server {server.Display}", "Disable maintenance mode")) return;
        if (GuardConfigServer(MaintenanceFlag.Key, () => MaintenanceFlag.Disable(server.GetDatabase())))
        {
            Session.InvalidateMaintenance();
            WriteVerbose($"Maintenance mode off: deleted {MaintenanceFlag.Key} on {server.Display}.");
        }
    }
}

/// <summary>Test-RedisMaintenance: the book's <c>is_under_maintenance</c>, cached one second per session.</summary>
[Cmdlet(VerbsDiagnostic.Test, "RedisMaintenance")]
[OutputType(typeof(bool))]
public sealed class TestRedisMaintenanceCommand : RedisComponentsCmdlet
{
    protected override void EndProcessing()
    {
        GuardConfigServer(MaintenanceFlag.Key, () => WriteObject(Session.IsUnderMaintenance()));
    }
}
