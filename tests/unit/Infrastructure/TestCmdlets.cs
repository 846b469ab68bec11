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

/// <summary>
/// Any command on the component's Redis through <see cref="ComponentCmdlet"/>'s guard, for tests of how server
/// answers are classified (e.g. a cross-slot command on a cluster, which no module cmdlet sends).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TestComponentCommand")]
[OutputType(typeof(string))]
public sealed class InvokeTestComponentCommandCommand : ComponentCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Command { get; set; } = "";

    [Parameter(Position = 1)]
    public string[] Arguments { get; set; } = System.Array.Empty<string>();

    protected override void ProcessRecord(ComponentConnection connection) =>
        Guard(connection, () => WriteObject(connection.Database.Execute(Command, Arguments).ToString()));
}
