using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>Get-RedisAccessTime: the contexts of <c>slowest:AccessTime</c> by average access time, slowest first.</summary>
[Cmdlet(VerbsCommon.Get, "RedisAccessTime")]
[OutputType(typeof(AccessTimeEntry))]
public sealed class GetRedisAccessTimeCommand : ComponentCmdlet
{
    /// <summary>Returns only the N slowest contexts (the set keeps at most 100).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Top { get; set; }

    protected override void ProcessRecord(ComponentConnection connection) =>
        Guard(connection, () => WriteObject(AccessTimes.Slowest(connection.Database, Top), enumerateCollection: true), AccessTimes.SlowestKey);
}
