using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration.Commands;

/// <summary>Test-RedisMaintenance: the book's <c>is_under_maintenance</c>, cached one second per session.</summary>
[Cmdlet(VerbsDiagnostic.Test, "RedisMaintenance")]
[OutputType(typeof(bool))]
public sealed class TestRedisMaintenanceCommand : RedisComponentsCmdlet
{
    protected override void EndProcessing() =>
        GuardConfigServer(MaintenanceFlag.Key, () => WriteObject(Session.IsUnderMaintenance()));
}
