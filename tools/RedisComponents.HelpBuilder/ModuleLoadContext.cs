using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// Loads the built module assembly for reflection. Its own dependencies (StackExchange.Redis...) come from
/// the module folder; what this process already has (the framework, System.Management.Automation) is
/// shared, so the module's [Parameter] attributes are the very types this tool reads.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> HostAssemblies = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly string moduleDirectory;

    public ModuleLoadContext(string moduleAssemblyPath)
        : base("RedisComponents module (help)", isCollectible: true)
    {
        moduleDirectory = Path.GetDirectoryName(Path.GetFullPath(moduleAssemblyPath))!;
        Module = LoadFromAssemblyPath(Path.GetFullPath(moduleAssemblyPath));
    }

    public Assembly Module { get; }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null || HostAssemblies.Contains(name.Name)) return null;
        var candidate = Path.Combine(moduleDirectory, name.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
