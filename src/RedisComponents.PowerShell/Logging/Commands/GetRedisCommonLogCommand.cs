using System.Management.Automation;
using RedisComponents.Connections;

namespace RedisComponents.Logging.Commands;

/// <summary>Get-RedisCommonLog: the messages of <c>common:NAME:SEVERITY</c> with their counts, most common first.</summary>
[Cmdlet(VerbsCommon.Get, "RedisCommonLog")]
[OutputType(typeof(CommonLogEntry))]
public sealed class GetRedisCommonLogCommand : LogCmdlet
{
    /// <summary>Reads the previous hour (<c>common:NAME:SEVERITY:last</c>) instead of the current one.</summary>
    [Parameter]
    public SwitchParameter Previous { get; set; }

    /// <summary>Returns only the N most common messages.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Top { get; set; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var key = CommonLog.KeyFor(Name, Severity, connection.IsCluster) + (Previous ? ":last" : "");
        Guard(connection, () => WriteObject(CommonLog.Read(connection.Database, Name, Severity, Previous, Top, connection.IsCluster), enumerateCollection: true), key);
    }
}
