using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace RedisComponents.Infrastructure;

/// <summary>-Name of the counter cmdlets: the names in <c>known:</c> (members <c>PRECISION:NAME</c>), by ZSCAN.</summary>
internal sealed class CounterNameCompleter : IArgumentCompleter
{
    private const int MaxMembersScanned = 10_000;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters["Component"] is not string component || component.Length == 0) return Array.Empty<CompletionResult>();
        var session = SessionRegistry.Current;
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var values = CompleterSupport.WithinBudget(() =>
        {
            using var connection = session.Resolve(component);
            // Every counter has a member at precision 1 (the book writes all seven), but match any precision.
            var pattern = "*:" + RedisGlob.Escape(word) + "*";
            return connection.Database.SortedSetScan("known:", pattern, pageSize: 1000)
                .Take(MaxMembersScanned)
                .Select(e => (string?)e.Element)
                .Select(m => m is null || m.IndexOf(':') <= 0 ? null : m[(m.IndexOf(':') + 1)..])
                .Where(n => !string.IsNullOrEmpty(n) && n.StartsWith(word, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .Take(CompleterSupport.MaxResults)
                .ToList()!;
        });
        return CompleterSupport.ToResults(values);
    }
}
