using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// The smallest data cmdlet: INCR of a key on the component's Redis, through <see cref="ComponentCmdlet"/>.
/// Lets the connection-management tests write through the base class without depending on a feature cmdlet.
/// Imported from the test assembly by <c>new PsHost(..., withTestCmdlets: true)</c>.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TestComponentIncrement")]
[OutputType(typeof(long))]
public sealed class InvokeTestComponentIncrementCommand : ComponentCmdlet
{
    [Parameter(Position = 1)]
    public string Key { get; set; } = "probe";

    protected override void ProcessRecord(ComponentConnection connection) =>
        WriteObject(connection.Database.StringIncrement(Key));
}
