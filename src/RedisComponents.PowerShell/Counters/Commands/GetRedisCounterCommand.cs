using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Counters.Commands;

/// <summary>
/// Get-RedisCounter: the book's <c>get_counter</c> (5.2.1), samples oldest first with -Precision; without it,
/// the counters of <c>known:</c> (optionally matching -Name), sorted by name.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RedisCounter", DefaultParameterSetName = ListSet)]
[OutputType(typeof(CounterSample), ParameterSetName = new[] { SamplesSet })]
[OutputType(typeof(CounterInfo), ParameterSetName = new[] { ListSet })]
public sealed class GetRedisCounterCommand : ComponentCmdlet
{
    private const string SamplesSet = "Samples";
    private const string ListSet = "List";

    /// <summary>The counter's name; with -Precision one counter, else a filter (wildcards allowed) of the listing.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SamplesSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(Position = 1, ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(CounterNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The slot length in seconds: one of the book's precisions.</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = SamplesSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("1", "5", "60", "300", "3600", "18000", "86400")]
    public int Precision { get; set; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        if (ParameterSetName == ListSet)
        {
            var pattern = Name.Length == 0 ? null : new WildcardPattern(Name, WildcardOptions.None);
            var any = false;
            foreach (var counter in CounterCatalog.List(connection.Database, connection.Component, pattern is null ? null : pattern.IsMatch))
            {
                any = true;
                WriteObject(counter);
            }
            if (!any) WriteVerbose($"No counter{(Name.Length == 0 ? "" : $" matching '{Name}'")} in '{CounterStore.KnownKey}' on component '{connection.Component}' ({connection.Endpoint}).");
            return;
        }

        var key = CounterStore.KeyFor(Precision, Name);
        Guard(connection, () =>
        {
            var samples = CounterStore.Read(connection.Database, Name, Precision);
            if (samples.Count == 0) WriteVerbose($"Counter '{key}' on component '{connection.Component}' ({connection.Endpoint}) has no samples.");
            WriteObject(samples, enumerateCollection: true);
        }, key);
    }
}
