using System.Management.Automation;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections.Commands;

/// <summary>Get-RedisConfigServer: the config server of this session, its state and last read; no side effect.</summary>
[Cmdlet(VerbsCommon.Get, "RedisConfigServer")]
[OutputType(typeof(ConfigServerStatus))]
public sealed class GetRedisConfigServerCommand : RedisComponentsCmdlet
{
    protected override void EndProcessing() => WriteObject(ConfigServerStatus.Of(Session));
}
