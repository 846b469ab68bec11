using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.RawCommands.Commands;

/// <summary>
/// Get-RedisComponentDatabase: the StackExchange.Redis IDatabase of a component (its configured database on
/// the session's pooled multiplexer), for scripts that need the whole client API.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RedisComponentDatabase")]
[OutputType(typeof(IDatabase))]
public sealed class GetRedisComponentDatabaseCommand : ComponentCmdlet
{
    protected override void ProcessRecord(ComponentConnection connection)
    {
        WriteVerbose($"Component '{connection.Component}' -> {connection.Endpoint}: the database stays usable while this session keeps the connection (until Disconnect-RedisComponent or a config change).");
        WriteObject(connection.Database);
    }
}
