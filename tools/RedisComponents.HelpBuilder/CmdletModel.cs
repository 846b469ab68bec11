using System;
using System.Collections.Generic;
using System.Linq;

namespace RedisComponents.HelpBuilder;

/// <summary>What reflection tells about one cmdlet class: everything the help needs that is not prose.</summary>
public sealed record CmdletModel(
    string Name,
    string Verb,
    string Noun,
    Type Type,
    bool SupportsShouldProcess,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<ParameterModel> Parameters,
    IReadOnlyList<string> OutputTypes)
{
    /// <summary>The parameters a help file must document: all but -WhatIf/-Confirm (the generator describes those).</summary>
    public IEnumerable<ParameterModel> DocumentedParameters => Parameters.Where(p => !p.IsShouldProcess);

    public ParameterModel? Find(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One parameter of a cmdlet, with how it binds in each parameter set it belongs to.</summary>
public sealed record ParameterModel(
    string Name,
    Type Type,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    string? DefaultValue,
    IReadOnlyList<string> ValidValues,
    IReadOnlyDictionary<string, ParameterBinding> Sets,
    bool IsShouldProcess = false)
{
    public bool IsSwitch => Type == typeof(System.Management.Automation.SwitchParameter);

    public bool InSet(string set) => Sets.ContainsKey(set) || Sets.ContainsKey(CmdletReflector.AllSets);

    public ParameterBinding BindingIn(string set) =>
        Sets.TryGetValue(set, out var b) ? b : Sets[CmdletReflector.AllSets];

    /// <summary>One binding summary over all sets, for the PARAMETERS section (which lists a parameter once).</summary>
    public ParameterBinding Combined
    {
        get
        {
            var all = Sets.Values.ToList();
            return new ParameterBinding(
                all.All(b => b.Mandatory),
                all.Select(b => b.Position).FirstOrDefault(p => p is not null),
                all.Any(b => b.ByValue),
                all.Any(b => b.ByPropertyName));
        }
    }
}

/// <summary>How a parameter binds in one parameter set.</summary>
public sealed record ParameterBinding(bool Mandatory, int? Position, bool ByValue, bool ByPropertyName)
{
    /// <summary>The MAML pipelineInput text, as Get-Help prints it.</summary>
    public string PipelineInput => (ByValue, ByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}
