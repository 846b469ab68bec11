using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// Reads the cmdlet classes of a built module assembly the way PowerShell's binder sees them: parameter
/// sets, mandatory, position, pipeline input, aliases, wildcards, valid values, defaults, output types.
/// </summary>
public static class CmdletReflector
{
    /// <summary>PowerShell's name for "every parameter set".</summary>
    public const string AllSets = "__AllParameterSets";

    public static IReadOnlyList<CmdletModel> Read(Assembly assembly) =>
        LoadableTypes(assembly)
            .Where(t => t.IsPublic && !t.IsAbstract && typeof(Cmdlet).IsAssignableFrom(t) && t.GetCustomAttribute<CmdletAttribute>() is not null)
            .Select(Describe)
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

    public static CmdletModel Describe(Type type)
    {
        var cmdlet = type.GetCustomAttribute<CmdletAttribute>() ?? throw new ArgumentException($"{type.FullName} has no [Cmdlet] attribute.", nameof(type));
        var instance = TryCreate(type);
        var parameters = ParameterMembers(type).Select(m => DescribeParameter(m, instance)).OfType<ParameterModel>().ToList();
        (instance as IDisposable)?.Dispose();
        if (cmdlet.SupportsShouldProcess)
        {
            parameters.Add(ShouldProcessSwitch("WhatIf", "wi"));
            parameters.Add(ShouldProcessSwitch("Confirm", "cf"));
        }

        return new CmdletModel(
            $"{cmdlet.VerbName}-{cmdlet.NounName}",
            cmdlet.VerbName,
            cmdlet.NounName,
            type,
            cmdlet.SupportsShouldProcess,
            ParameterSetsOf(cmdlet, parameters),
            parameters,
            type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>The default set first, then the others in the order their parameters are declared.</summary>
    private static IReadOnlyList<string> ParameterSetsOf(CmdletAttribute cmdlet, IEnumerable<ParameterModel> parameters)
    {
        var named = parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct(StringComparer.Ordinal).ToList();
        var defaultSet = cmdlet.DefaultParameterSetName;
        if (named.Count == 0) return new[] { AllSets };
        if (string.IsNullOrEmpty(defaultSet)) return named;
        return new[] { defaultSet }.Concat(named.Where(s => s != defaultSet)).ToList();
    }

    /// <summary>Public properties and fields carrying [Parameter], base classes first, each in declaration order.</summary>
    private static IEnumerable<MemberInfo> ParameterMembers(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(PSCmdlet) && t != typeof(Cmdlet); t = t.BaseType) chain.Insert(0, t);
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        return chain.SelectMany(t => t.GetMembers(Flags)
            .Where(m => m is PropertyInfo or FieldInfo && m.IsDefined(typeof(ParameterAttribute), inherit: true))
            .OrderBy(m => m.MetadataToken));
    }

    private static ParameterModel? DescribeParameter(MemberInfo member, object? instance)
    {
        var attributes = member.GetCustomAttributes<ParameterAttribute>(inherit: true).ToList();
        if (attributes.All(a => a.DontShow)) return null;
        var type = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
        var sets = new Dictionary<string, ParameterBinding>(StringComparer.Ordinal);
        foreach (var a in attributes)
        {
            var set = string.IsNullOrEmpty(a.ParameterSetName) ? AllSets : a.ParameterSetName;
            sets[set] = new ParameterBinding(a.Mandatory, a.Position >= 0 ? a.Position : null, a.ValueFromPipeline, a.ValueFromPipelineByPropertyName);
        }

        return new ParameterModel(
            member.Name,
            type,
            member.GetCustomAttributes<AliasAttribute>(inherit: true).SelectMany(a => a.AliasNames).ToList(),
            member.IsDefined(typeof(SupportsWildcardsAttribute), inherit: true),
            DefaultOf(member, type, instance),
            ValidValuesOf(member, type),
            sets);
    }

    private static ParameterModel ShouldProcessSwitch(string name, string alias) =>
        new(name, typeof(SwitchParameter), new[] { alias }, false, "False", Array.Empty<string>(),
            new Dictionary<string, ParameterBinding> { [AllSets] = new(false, null, false, false) }, IsShouldProcess: true);

    private static IReadOnlyList<string> ValidValuesOf(MemberInfo member, Type type)
    {
        var set = member.GetCustomAttribute<ValidateSetAttribute>(inherit: true);
        if (set is not null) return set.ValidValues.ToList();
        var element = type.IsArray ? type.GetElementType()! : Nullable.GetUnderlyingType(type) ?? type;
        return element.IsEnum ? Enum.GetNames(element) : Array.Empty<string>();
    }

    /// <summary>The value a new cmdlet object holds before binding, when it says something ("None" otherwise).</summary>
    private static string? DefaultOf(MemberInfo member, Type type, object? instance)
    {
        if (type == typeof(SwitchParameter)) return "False";
        if (instance is null) return null;
        object? value;
        try
        {
            value = member is PropertyInfo p ? p.GetValue(instance) : ((FieldInfo)member).GetValue(instance);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
        return value switch
        {
            null => null,
            string s => s.Length == 0 ? null : s,
            bool b => b ? "True" : "False",
            ICollection { Count: 0 } => null,
            IEnumerable e => string.Join(", ", e.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    private static object? TryCreate(Type type)
    {
        try
        {
            return Activator.CreateInstance(type);
        }
        catch (Exception ex) when (ex is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            return null; // No public parameterless constructor that works outside PowerShell: defaults stay unknown.
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
