using System.Management.Automation;
using RedisComponents.Connections;

namespace RedisComponents.Logging.Commands;

/// <summary>Get-RedisRecentLog: reads <c>recent:NAME:SEVERITY</c>, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "RedisRecentLog")]
[OutputType(typeof(RecentLogEntry))]
public sealed class GetRedisRecentLogCommand : LogCmdlet
{
    /// <summary>How many of the newest entries to return; all (at most 100 as the book trims) by default.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var key = RecentLog.KeyFor(Name, Severity);
        Guard(connection, () => WriteObject(RecentLog.Read(connection.Database, Name, Severity, Count), enumerateCollection: true), key);
    }
}
