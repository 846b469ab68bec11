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

    /// <summary>The completion value inside a key (the part after <see cref="Prefix"/>), or null to skip the key.</summary>
    protected abstract string? Extract(string afterPrefix);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters["Component"] is not string component || component.Length == 0) return Array.Empty<CompletionResult>();
        var session = SessionRegistry.Current;
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var values = CompleterSupport.WithinBudget(() =>
        {
            using var connection = session.Resolve(component);
            var pattern = RedisGlob.Escape(Prefix + word) + "*";
            return connection.Servers.SelectMany(s => s.Keys(connection.Database.Database, pattern, pageSize: 1000))
                .Take(MaxKeysScanned)
                .Select(k => Extract(((string)k!).Substring(Prefix.Length)))
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
    private static readonly string[] RotationSuffixes = { ":start", ":last", ":pstart" };

    protected override string Prefix => "stats:";

    protected override string? Extract(string afterPrefix)
    {
        // stats:<context>:<type>[:start|:last|:pstart] — strip a rotation suffix, then the type.
        foreach (var suffix in RotationSuffixes)
        {
            if (afterPrefix.EndsWith(suffix, StringComparison.Ordinal)) return BeforeLastColon(afterPrefix[..^suffix.Length]);
        }
        return BeforeLastColon(afterPrefix);
    }
}
