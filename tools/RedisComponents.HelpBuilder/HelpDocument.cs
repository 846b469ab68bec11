using System.Collections.Generic;

namespace RedisComponents.HelpBuilder;

/// <summary>The prose of one cmdlet's help, as read from docs/help/Verb-Noun.md.</summary>
public sealed class HelpDocument
{
    public HelpDocument(string path) => Path = path;

    public string Path { get; }
    public string Title { get; set; } = "";
    public List<string> Synopsis { get; } = new();
    public List<string> Description { get; } = new();
    public List<HelpExample> Examples { get; } = new();
    public List<DocumentedItem> Parameters { get; } = new();
    public List<DocumentedItem> Inputs { get; } = new();
    public List<DocumentedItem> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<DocumentedItem> RelatedLinks { get; } = new();

    /// <summary>Line of each "## SECTION" heading, for messages.</summary>
    public Dictionary<string, int> SectionLines { get; } = new();

    public int LineOf(string section) => SectionLines.TryGetValue(section, out var line) ? line : 1;
}

/// <summary>A "### heading" with its prose: a parameter (-Name), an input or output type, a link.</summary>
public sealed class DocumentedItem(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public List<string> Paragraphs { get; } = new();
}

public sealed class HelpExample(string title, int line)
{
    public string Title { get; } = title;
    public int Line { get; } = line;
    public string? Code { get; set; }
    public List<string> Remarks { get; } = new();
}

/// <summary>The section names of a cmdlet help file, in the order they must appear.</summary>
public static class Sections
{
    public const string Synopsis = "SYNOPSIS";
    public const string Description = "DESCRIPTION";
    public const string Examples = "EXAMPLES";
    public const string Parameters = "PARAMETERS";
    public const string Inputs = "INPUTS";
    public const string Outputs = "OUTPUTS";
    public const string Notes = "NOTES";
    public const string RelatedLinks = "RELATED LINKS";

    public static readonly string[] Ordered = { Synopsis, Description, Examples, Parameters, Inputs, Outputs, Notes, RelatedLinks };
    public static readonly string[] Required = { Synopsis, Description, Examples, Parameters, Inputs, Outputs };

    /// <summary>Sections whose content lives under "### name" headings.</summary>
    public static readonly string[] WithItems = { Examples, Parameters, Inputs, Outputs, RelatedLinks };
}
