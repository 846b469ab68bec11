using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace RedisComponents.Loader;

/// <summary>
/// The load context of the module's engine (RedisComponents.PowerShell.dll) and its dependencies
/// (StackExchange.Redis, System.IO.Pipelines, Microsoft.Extensions.*, CsvHelper...). An assembly found in the
/// engine folder is loaded from there, whatever another module put into the default context, unless the
/// framework itself ships it at the same or a newer version; anything else (the framework,
/// System.Management.Automation) comes from the default context. One per process: every
/// import, runspace and re-import after Remove-Module gets the same engine assembly. The engine's dependencies are
/// resolved here, never through the default context (whose one handler, <see cref="EngineResolver"/>, answers only
/// the engine's own name).
/// </summary>
public sealed class EngineLoadContext : AssemblyLoadContext
{
    /// <summary>The engine's file name; the manifest's cmdlets live in it.</summary>
    public const string EngineFileName = "RedisComponents.PowerShell.dll";

    /// <summary>The published module keeps the engine and its dependencies in this subfolder.</summary>
    public const string DependencyFolderName = "dependencies";

    private static readonly object Gate = new();
    private static Assembly? _engine;

    private readonly string _directory;

    private EngineLoadContext(string directory) : base("RedisComponents", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>The folder this context loads from.</summary>
    public string Directory => _directory;

    /// <summary>
    /// The engine assembly for the module installed in <paramref name="moduleDirectory"/>: the host's own copy
    /// when the host application ships the engine on its trusted platform list (a program or test project that
    /// references the module assembly and hosts PowerShell in-process — it shares its static state with the
    /// cmdlets), else the one loaded once per process into this context from <c>dependencies/</c> (or, in a
    /// build output folder without it, from the module folder itself).
    /// </summary>
    public static Assembly LoadEngine(string moduleDirectory)
    {
        if (_engine is not null) return _engine;
        lock (Gate)
        {
            if (_engine is not null) return _engine;
            var hosted = HostEngine();
            if (hosted is not null) return _engine = hosted;
            var dependencies = Path.Combine(moduleDirectory, DependencyFolderName);
            var directory = File.Exists(Path.Combine(dependencies, EngineFileName)) ? dependencies : moduleDirectory;
            var context = new EngineLoadContext(directory);
            return _engine = context.LoadFromAssemblyPath(Path.Combine(directory, EngineFileName));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // PowerShell's own assemblies are the host's, always: the cmdlets exchange their types with the engine.
        if (assemblyName.Name is null || IsPowerShellAssembly(assemblyName.Name)) return null;
        var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        if (!File.Exists(candidate)) return null;
        // A framework assembly at least as new as ours (System.IO.Pipelines is in .NET 10's shared framework)
        // is the framework's: one copy in the process, the types the runtime itself uses. Only the TPA list
        // counts here, never what another module loaded into the default context.
        if (FrameworkHasAtLeast(assemblyName.Name, candidate)) return null;
        return LoadFromAssemblyPath(candidate);
    }

    private static bool FrameworkHasAtLeast(string name, string candidate)
    {
        if (!TrustedPlatformAssemblies().TryGetValue(name, out var framework)) return false;
        try
        {
            return AssemblyName.GetAssemblyName(framework).Version >= AssemblyName.GetAssemblyName(candidate).Version;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static System.Collections.Generic.Dictionary<string, string>? _tpa;

    /// <summary>The host's trusted platform assemblies (the framework and the host's own), by simple name.</summary>
    private static System.Collections.Generic.Dictionary<string, string> TrustedPlatformAssemblies()
    {
        if (_tpa is not null) return _tpa;
        var map = new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                map.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }
        return _tpa = map;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }

    private static bool IsPowerShellAssembly(string name) =>
        name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.Management.Infrastructure", StringComparison.OrdinalIgnoreCase);

    private static Assembly? HostEngine() =>
        TrustedPlatformAssemblies().ContainsKey(Path.GetFileNameWithoutExtension(EngineFileName))
            ? Default.LoadFromAssemblyName(new AssemblyName(Path.GetFileNameWithoutExtension(EngineFileName)))
            : null;
}
