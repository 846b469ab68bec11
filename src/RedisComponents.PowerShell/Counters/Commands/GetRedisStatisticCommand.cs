using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>Get-RedisStatistic: the book's <c>get_stats</c> (5.2.2) with average and sample standard deviation.</summary>
[Cmdlet(VerbsCommon.Get, "RedisStatistic")]
[OutputType(typeof(Statistic))]
public sealed class GetRedisStatisticCommand : ComponentCmdlet
{
    /// <summary>The CONTEXT of <c>stats:CONTEXT:TYPE</c>.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticContextCompleter))]
    public string Context { get; set; } = "";

    /// <summary>The TYPE of <c>stats:CONTEXT:TYPE</c>.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StatisticTypeCompleter))]
    public string Type { get; set; } = "";

    /// <summary>Reads the previous hour (<c>stats:CONTEXT:TYPE:last</c>) instead of the current one.</summary>
    [Parameter]
    public SwitchParameter Previous { get; set; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var keys = StatisticStore.KeysFor(Context, Type, connection.IsCluster);
        var key = Previous ? keys.Last : keys.Destination;
        Guard(connection, () =>
        {
            var stats = StatisticStore.Read(connection.Database, Context, Type, Previous, connection.IsCluster);
            if (stats is not null)
            {
                WriteObject(stats);
                return;
            }
            // The module's rule for data that does not exist (yet): no output, and -Verbose says which key.
            var hint = Previous ? "no values were recorded in the previous hour" : "no values were recorded in the current UTC hour (try -Previous)";
            WriteVerbose($"No statistics at '{key}' on component '{connection.Component}' ({connection.Endpoint}): {hint}, or Context '{Context}' / Type '{Type}' is misspelled.");
        }, key);
    }
}
