using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Import and removal hooks. Import: resolve our dependencies (StackExchange.Redis and friends) from the
/// module folder when the host has not loaded them already. Removal: dispose the session of the runspace
/// removing the module, which releases its connections.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "";

    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += ResolveFromModuleFolder;
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AssemblyLoadContext.Default.Resolving -= ResolveFromModuleFolder;
        SessionRegistry.Release(Runspace.DefaultRunspace);
    }

    private static Assembly? ResolveFromModuleFolder(AssemblyLoadContext context, AssemblyName name)
    {
        if (string.IsNullOrEmpty(ModuleDirectory) || name.Name is null) return null;
        var candidate = Path.Combine(ModuleDirectory, name.Name + ".dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }
}
