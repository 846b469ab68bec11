using System;
using System.Linq;

namespace RedisComponents.HelpBuilder;

/// <summary>Type names the way help shows them: "String[]" in syntax, "System.String[]" in type blocks.</summary>
public static class TypeNames
{
    public static string Short(Type type) => Name(type, t => t.Name);

    public static string Full(Type type) => Name(type, t => t.FullName ?? t.Name);

    private static string Name(Type type, Func<Type, string> plain)
    {
        if (type.IsArray) return Name(type.GetElementType()!, plain) + "[]";
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Name(underlying, plain);
        if (!type.IsGenericType) return plain(type);
        var name = plain(type.GetGenericTypeDefinition());
        var tick = name.IndexOf('`');
        return (tick < 0 ? name : name[..tick]) + "[" + string.Join(", ", type.GetGenericArguments().Select(a => Name(a, plain))) + "]";
    }
}
