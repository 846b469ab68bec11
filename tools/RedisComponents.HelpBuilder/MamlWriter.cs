using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// Writes MAML the way PowerShell's Get-Help reads it (the layout platyPS produces): prose from the help
/// documents, everything about binding from the cmdlet classes.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>Shown for -WhatIf/-Confirm, which help files do not document themselves.</summary>
    private static readonly Dictionary<string, string> ShouldProcessText = new()
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    public static XDocument Write(IEnumerable<(CmdletModel Cmdlet, HelpDocument Doc)> commands, IReadOnlyList<string> aboutTopics) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                commands.Select(c => CommandElement(c.Cmdlet, c.Doc, aboutTopics))));

    private static XElement CommandElement(CmdletModel cmdlet, HelpDocument doc, IReadOnlyList<string> aboutTopics) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(new[] { string.Join(" ", doc.Synopsis) })),
            Description(doc.Description),
            new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => SyntaxItem(cmdlet, set))),
            new XElement(Command + "parameters", ParameterOrder(cmdlet, doc).Select(p => Parameter(p, Prose(p, doc), p.Combined, withValues: false))),
            new XElement(Command + "inputTypes", doc.Inputs.Select(i => TypeEntry("inputType", i))),
            new XElement(Command + "returnValues", doc.Outputs.Select(o => TypeEntry("returnValue", o))),
            doc.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(doc.Notes))),
            new XElement(Command + "examples", doc.Examples.Select((e, i) => Example(e, i + 1))),
            new XElement(Command + "relatedLinks", Links(doc, aboutTopics)));

    private static XElement SyntaxItem(CmdletModel cmdlet, string set)
    {
        // Positional first (by position), then mandatory named, then optional, switches and -WhatIf/-Confirm last.
        var parameters = cmdlet.Parameters.Where(p => p.InSet(set))
            .OrderBy(p => p.BindingIn(set).Position ?? int.MaxValue)
            .ThenBy(p => p.BindingIn(set).Mandatory ? 0 : 1)
            .ThenBy(p => p.IsShouldProcess ? 2 : p.IsSwitch ? 1 : 0);
        return new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", cmdlet.Name),
            parameters.Select(p => Parameter(p, null, p.BindingIn(set), withValues: true)));
    }

    private static XElement Parameter(ParameterModel p, IReadOnlyList<string>? prose, ParameterBinding binding, bool withValues)
    {
        var typeName = TypeNames.Short(p.Type);
        var element = new XElement(Command + "parameter",
            new XAttribute("required", Bool(binding.Mandatory)),
            new XAttribute("variableLength", Bool(p.Type.IsArray)),
            new XAttribute("globbing", Bool(p.SupportsWildcards)),
            new XAttribute("pipelineInput", binding.PipelineInput),
            new XAttribute("position", binding.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
            new XElement(Maml + "name", p.Name),
            prose is null ? null : Description(prose));
        if (withValues && p.ValidValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup",
                p.ValidValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }
        else if (!(withValues && p.IsSwitch))
        {
            // Syntax shows a switch bare ("[-Quiet]"); everything else as "-Name <Type>".
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", Bool(!p.IsSwitch)), new XAttribute("variableLength", Bool(p.Type.IsArray)), typeName));
        }
        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", TypeNames.Full(p.Type)), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", p.DefaultValue ?? "None"));
        return element;
    }

    /// <summary>The order of the help file (the author's), then -WhatIf and -Confirm.</summary>
    private static IEnumerable<ParameterModel> ParameterOrder(CmdletModel cmdlet, HelpDocument doc) =>
        doc.Parameters.Select(d => cmdlet.Find(d.Name)).OfType<ParameterModel>()
            .Concat(cmdlet.Parameters.Where(p => !doc.Parameters.Any(d => string.Equals(d.Name, p.Name, System.StringComparison.OrdinalIgnoreCase))));

    private static IReadOnlyList<string> Prose(ParameterModel p, HelpDocument doc) =>
        (IReadOnlyList<string>?)doc.Parameters.FirstOrDefault(d => string.Equals(d.Name, p.Name, System.StringComparison.OrdinalIgnoreCase))?.Paragraphs
        ?? new[] { ShouldProcessText.GetValueOrDefault(p.Name, "") };

    private static XElement TypeEntry(string kind, DocumentedItem item) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", item.Name)),
            Description(item.Paragraphs));

    private static XElement Example(HelpExample example, int number) =>
        new(Command + "example",
            new XElement(Maml + "title", $"--- Example {number}: {example.Title} ---"),
            new XElement(Dev + "code", example.Code ?? ""),
            // The empty last paragraph keeps a blank line before the next example's title.
            new XElement(Dev + "remarks", Paragraphs(example.Remarks.Append(""))));

    private static IEnumerable<XElement> Links(HelpDocument doc, IReadOnlyList<string> aboutTopics) =>
        doc.RelatedLinks.Select(l => Link(l.Name, l.Paragraphs.FirstOrDefault(p => p.StartsWith("http", System.StringComparison.OrdinalIgnoreCase)) ?? ""))
            .Concat(aboutTopics.Where(t => doc.RelatedLinks.All(l => l.Name != t)).Select(t => Link(t, "")));

    private static XElement Link(string text, string uri) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";
}
