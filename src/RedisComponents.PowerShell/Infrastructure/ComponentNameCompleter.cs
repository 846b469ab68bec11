using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading.Tasks;
using RedisComponents.Configuration;

namespace RedisComponents.Infrastructure;

/// <summary>Completes -Component with the components configured on the session's config server.</summary>
internal sealed class ComponentNameCompleter : IArgumentCompleter
{

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = SessionRegistry.Current;
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        var names = CompleterSupport.WithinBudget(() =>
        {
            var server = session.ConfigServer;
            return ConfigStore.ListComponents(server.Servers, server.Database, ConfigStore.RedisType, prefix, CompleterSupport.MaxResults).ToList();
        });
        return CompleterSupport.ToResults(names);
    }
}

/// <summary>Shared rules of the module's completers: bounded in time, never throwing, sorted results.</summary>
internal static class CompleterSupport
{
    public const int MaxResults = 200;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    /// <summary>Runs a lookup, giving up (with no results) after two seconds or on any error: tab must never hang.</summary>
    public static IReadOnlyList<string> WithinBudget(Func<IReadOnlyList<string>> lookup)
    {
        try
        {
            var task = Task.Run(lookup);
            return task.Wait(Budget) ? task.Result : Array.Empty<string>();
        }
        catch (Exception)
        {
            return Array.Empty<string>();
        }
    }

    public static IEnumerable<CompletionResult> ToResults(IEnumerable<string> values) =>
        values.OrderBy(v => v, StringComparer.OrdinalIgnoreCase).Select(v =>
            new CompletionResult(NeedsQuotes(v) ? "'" + v.Replace("'", "''") + "'" : v, v, CompletionResultType.ParameterValue, v));

    private static bool NeedsQuotes(string v) => v.Length == 0 || v.Any(c => char.IsWhiteSpace(c) || "'\"`$;,(){}[]@#|&<>".Contains(c));
}
