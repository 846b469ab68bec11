using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration.Commands;

/// <summary>Shared body of Enable-/Disable-RedisMaintenance: flip the book's flag on the config server.</summary>
public abstract class MaintenanceSwitchCommand : RedisComponentsCmdlet
{
    private protected abstract bool TurnOn { get; }

    /// <summary>Outputs the flag's new state ($true after Enable, $false after Disable), as Test-RedisMaintenance would.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var server = Session.ConfigServer;
        var action = TurnOn ? "Enable maintenance mode" : "Disable maintenance mode";
        if (!ShouldProcess($"{MaintenanceFlag.Key} on config server {server.Display}", action)) return;
        var done = GuardConfigServer(MaintenanceFlag.Key, () =>
        {
            if (TurnOn) MaintenanceFlag.Enable(server.GetDatabase());
            else MaintenanceFlag.Disable(server.GetDatabase());
        });
        if (!done) return;
        Session.InvalidateMaintenance();
        WriteVerbose(TurnOn
            ? $"Maintenance mode on: {MaintenanceFlag.Key}={MaintenanceFlag.EnabledValue} on {server.Display}. Other sessions see it within {MaintenanceFlag.CacheSeconds} s."
            : $"Maintenance mode off: deleted {MaintenanceFlag.Key} on {server.Display}.");
        if (PassThru) WriteObject(TurnOn);
    }
}
