using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace RedisComponents.Infrastructure;

/// <summary>-Type of the config cmdlets: the TYPE of existing <c>config:TYPE:COMPONENT</c> keys on the config server.</summary>
internal sealed class ConfigTypeCompleter : IArgumentCompleter
{
    private const string Prefix = "config:";
    private const int MaxKeysScanned = 10_000;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = SessionRegistry.Current;
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var values = CompleterSupport.WithinBudget(() =>
        {
            var server = session.ConfigServer;
            return server.Servers.SelectMany(s => s.Keys(server.Database, RedisGlob.Escape(Prefix + word) + "*:*", pageSize: 1000))
                .Take(MaxKeysScanned)
                .Select(k => ((string)k!)[Prefix.Length..])
                .Select(rest => rest.IndexOf(':') is var i and > 0 ? rest[..i] : null)
                .Where(t => t is not null)
                .Distinct(StringComparer.Ordinal)
                .Take(CompleterSupport.MaxResults)
                .ToList()!;
        });
        return CompleterSupport.ToResults(values!);
    }
}
