using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;

namespace RedisComponents.Loader;

/// <summary>
/// The module's first nested module (RedisComponents.Loader.dll) makes its second one resolvable: the engine's
/// manifest (dependencies/RedisComponents.Engine.psd1) names the engine by assembly name, and while the module
/// is imported in any runspace of the process, one handler on the default context's
/// <see cref="AssemblyLoadContext.Resolving"/> answers that one name with the engine from
/// <see cref="EngineLoadContext"/> (every other name is left to the default context). PowerShell then imports
/// the engine as an ordinary binary module, the path its own modules (PSReadLine) have already warmed.
/// The handler is added with the first runspace that imports the module and removed when the last one removes
/// it or is closed. (Import-Module -Force imports again without removing first: runspaces are counted, not imports.)
/// </summary>
public sealed class EngineResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static readonly HashSet<object> Importers = new();
    private static readonly object NoRunspace = new(); // an import outside any runspace (not seen in practice)

    /// <summary>Called by PowerShell when the module is imported (also again by Import-Module -Force).</summary>
    public void OnImport()
    {
        object runspace = (object?)Runspace.DefaultRunspace ?? NoRunspace;
        lock (Gate)
        {
            if (!Importers.Add(runspace)) return;
            if (Importers.Count == 1) AssemblyLoadContext.Default.Resolving += Resolve;
        }
        if (runspace is Runspace r) r.StateChanged += OnStateChanged;
    }

    /// <summary>Called by PowerShell when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => Release((object?)Runspace.DefaultRunspace ?? NoRunspace);

    private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is Runspace runspace && e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken) Release(runspace);
    }

    private static void Release(object runspace)
    {
        lock (Gate)
        {
            if (!Importers.Remove(runspace)) return;
            if (Importers.Count == 0) AssemblyLoadContext.Default.Resolving -= Resolve;
        }
        if (runspace is Runspace r) r.StateChanged -= OnStateChanged;
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, Path.GetFileNameWithoutExtension(EngineLoadContext.EngineFileName), StringComparison.OrdinalIgnoreCase)
            ? EngineLoadContext.LoadEngine(Path.GetDirectoryName(typeof(EngineResolver).Assembly.Location)!)
            : null;
}
