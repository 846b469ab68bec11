using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Packaging;

/// <summary>
/// Issue 13: every runspace import used to add one more Resolving handler to the default load context, never
/// removed. The module now holds exactly one while it is imported anywhere in the process (RedisComponents.Loader's
/// EngineResolver answers the engine's name), and none once the last import is removed.
/// </summary>
public class ResolvingHandlerTests
{
    [Fact]
    public void ImportingTheModuleInSeveralRunspacesHoldsOneHandlerOfTheModule()
    {
        // Other test classes import the module in this process at the same time, so only the module's own
        // handlers are counted here, and only "never more than one; one while imported" can be asserted. That
        // the last Remove-Module takes it away is checked in a pwsh of its own (DependencyIsolationTests).
        var hosts = Enumerable.Range(0, 3).Select(_ => new PsHost()).ToList();
        try
        {
            foreach (var host in hosts) Assert.Single(host.Run("Get-Command Set-RedisComponentConfig").ThrowIfFailed().Output);
            Assert.Equal(1, ModuleResolvingHandlers());
            hosts[0].Run("Import-Module $m -Force", new() { ["m"] = PsHost.ManifestPath }).ThrowIfFailed();
            Assert.Equal(1, ModuleResolvingHandlers());
            foreach (var host in hosts.Skip(1)) host.Run("Remove-Module RedisComponents").ThrowIfFailed();
            Assert.Equal(1, ModuleResolvingHandlers());
            hosts[0].Run("Remove-Module RedisComponents").ThrowIfFailed();
            Assert.InRange(ModuleResolvingHandlers(), 0, 1);
            hosts[0].Run("Import-Module $m", new() { ["m"] = PsHost.ManifestPath }).ThrowIfFailed();
            Assert.Equal(1, ModuleResolvingHandlers());
        }
        finally
        {
            foreach (var host in hosts) host.Dispose();
        }
    }

    private static int ModuleResolvingHandlers()
    {
        var field = typeof(AssemblyLoadContext).GetField("_resolving", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("AssemblyLoadContext has no _resolving field in this runtime: update the test.");
        var handlers = (field.GetValue(AssemblyLoadContext.Default) as Delegate)?.GetInvocationList() ?? Array.Empty<Delegate>();
        return handlers.Count(h => h.Method.DeclaringType == typeof(RedisComponents.Loader.EngineResolver));
    }
}
