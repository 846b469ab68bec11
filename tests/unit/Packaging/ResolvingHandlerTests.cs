using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Packaging;

/// <summary>
/// Issue 13: every runspace import used to add one more Resolving handler to the default load context, never
/// removed. The module now adds none (its engine resolves its dependencies in its own load context).
/// </summary>
public class ResolvingHandlerTests
{
    [Fact]
    public void ImportingTheModuleInSeveralRunspacesAndRemovingItLeavesTheDefaultContextsHandlersAsTheyWere()
    {
        // PowerShell adds its own handler once per process with its first runspace: count after that one.
        using (var plain = System.Management.Automation.PowerShell.Create(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2()))
        {
            plain.AddScript("Get-Date").Invoke();
        }
        var before = DefaultResolvingHandlers();
        var hosts = Enumerable.Range(0, 3).Select(_ => new PsHost()).ToList();
        try
        {
            foreach (var host in hosts) Assert.Single(host.Run("Get-Command Set-RedisComponentConfig").ThrowIfFailed().Output);
            Assert.Equal(before, DefaultResolvingHandlers());
            foreach (var host in hosts) host.Run("Remove-Module RedisComponents").ThrowIfFailed();
            Assert.Equal(before, DefaultResolvingHandlers());
            hosts[0].Run("Import-Module $m", new() { ["m"] = PsHost.ManifestPath }).ThrowIfFailed();
            Assert.Equal(before, DefaultResolvingHandlers());
        }
        finally
        {
            foreach (var host in hosts) host.Dispose();
        }
    }

    private static int DefaultResolvingHandlers()
    {
        var field = typeof(AssemblyLoadContext).GetField("_resolving", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("AssemblyLoadContext has no _resolving field in this runtime: update the test.");
        return (field.GetValue(AssemblyLoadContext.Default) as Delegate)?.GetInvocationList().Length ?? 0;
    }
}
