using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Completes a parameter from the names embedded in existing keys of the component named by -Component
/// (e.g. -Name from <c>recent:&lt;name&gt;:&lt;severity&gt;</c>). SCAN only, bounded in time and count.
/// </summary>
internal abstract class KeySegmentCompleter : IArgumentCompleter
{
    private const int MaxKeysScanned = 10_000;

    /// <summary>The layout's key prefix, e.g. "recent:".</summary>
    protected abstract string Prefix { get; }

    /// <summary>The prefix for this completion: <see cref="Prefix"/>, narrowed by parameters already typed.</summary>
    protected virtual string PrefixFor(IDictionary fakeBoundParameters) => Prefix;

    /// <summary>The completion value inside a key (the part after <see cref="Prefix"/>), or null to skip the key.</summary>
    protected abstract string? Extract(string afterPrefix);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters["Component"] is not string component || component.Length == 0) return Array.Empty<CompletionResult>();
        var session = SessionRegistry.Current;
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var prefix = PrefixFor(fakeBoundParameters);
        var values = CompleterSupport.WithinBudget(() =>
        {
            using var connection = session.Resolve(component);
            var pattern = RedisGlob.Escape(prefix + word) + "*";
            return connection.Servers.SelectMany(s => s.Keys(connection.Database.Database, pattern, pageSize: 1000))
                .Take(MaxKeysScanned)
                .Select(k => Extract(((string)k!).Substring(prefix.Length)))
                .Where(v => !string.IsNullOrEmpty(v))
                .Distinct(StringComparer.Ordinal)
                .Take(CompleterSupport.MaxResults)
                .ToList()!;
        });
        return CompleterSupport.ToResults(values);
    }

    /// <summary>Everything before the last ':' ("web:info" → "web").</summary>
    protected static string? BeforeLastColon(string text)
    {
        var i = text.LastIndexOf(':');
        return i > 0 ? text[..i] : null;
    }
}

/// <summary>-Name of the log cmdlets: names of existing <c>recent:&lt;name&gt;:&lt;severity&gt;</c> lists.</summary>
internal sealed class LogNameCompleter : KeySegmentCompleter
{
    protected override string Prefix => "recent:";
    protected override string? Extract(string afterPrefix) => BeforeLastColon(afterPrefix);
}

/// <summary>-Context of the statistics cmdlets: contexts of existing <c>stats:&lt;context&gt;:&lt;type&gt;</c> sets.</summary>
internal sealed class StatisticContextCompleter : KeySegmentCompleter
{
    protected override string Prefix => "stats:";

    // stats:<context>:<type>[:start|:last|:pstart] — strip a rotation suffix, then the type.
    protected override string? Extract(string afterPrefix) => BeforeLastColon(StatisticKeys.WithoutRotationSuffix(afterPrefix));
}

/// <summary>
/// -Type of the statistics cmdlets: types of existing <c>stats:&lt;context&gt;:&lt;type&gt;</c> sets, only
/// those of -Context when it is already typed.
/// </summary>
internal sealed class StatisticTypeCompleter : KeySegmentCompleter
{
    protected override string Prefix => "stats:";

    protected override string PrefixFor(IDictionary fakeBoundParameters) =>
        fakeBoundParameters["Context"] is string { Length: > 0 } context ? Prefix + context + ":" : Prefix;

    // The type is the last segment (types have no colon; contexts may: stats:page:/home:AccessTime).
    protected override string? Extract(string afterPrefix)
    {
        var rest = StatisticKeys.WithoutRotationSuffix(afterPrefix);
        var type = rest[(rest.LastIndexOf(':') + 1)..];
        return type.Length > 0 ? type : null;
    }
}

internal static class StatisticKeys
{
    private static readonly string[] RotationSuffixes = { ":start", ":last", ":pstart" };

    public static string WithoutRotationSuffix(string text)
    {
        foreach (var suffix in RotationSuffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)) return text[..^suffix.Length];
        }
        return text;
    }
}
