using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// Reads docs/help/Verb-Noun.md into a <see cref="HelpDocument"/>, reporting every structural problem
/// (missing, unknown or misordered sections, malformed headings, empty prose) with file, line and section.
/// The format is the one docs/help/README.md defines.
/// </summary>
public static partial class HelpDocumentReader
{
    public static HelpDocument Read(string path, DiagnosticBag diagnostics) =>
        Read(path, File.ReadAllText(path), diagnostics);

    public static HelpDocument Read(string path, string markdown, DiagnosticBag diagnostics)
    {
        var doc = new HelpDocument(path);
        var state = new State(doc, diagnostics);
        var blocks = MarkdownBlocks.Parse(markdown);
        if (blocks.Count == 0 || blocks[0] is not { Kind: BlockKind.Heading, Level: 1 })
        {
            state.Error(Codes.Structure, blocks.FirstOrDefault()?.Line ?? 1, null, "the file must start with '# Verb-Noun'.");
        }
        foreach (var block in blocks) state.Add(block);
        state.Finish();
        return doc;
    }

    [GeneratedRegex(@"^Example (\d+):\s*(\S.*)$")]
    private static partial Regex ExampleHeading();

    [GeneratedRegex(@"^-([A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex ParameterHeading();

    private sealed class State(HelpDocument doc, DiagnosticBag diagnostics)
    {
        private string? section;
        private int sectionIndex = -1;
        private DocumentedItem? item;
        private HelpExample? example;

        public void Error(string code, int line, string? inSection, string message) =>
            diagnostics.Error(code, doc.Path, line, inSection, message);

        public void Add(MarkdownBlock block)
        {
            if (block.Kind == BlockKind.Heading) Heading(block);
            else Content(block);
        }

        private void Heading(MarkdownBlock block)
        {
            switch (block.Level)
            {
                case 1 when doc.Title.Length == 0 && section is null:
                    doc.Title = block.Text;
                    break;
                case 1:
                    Error(Codes.Structure, block.Line, section, $"a second '# {block.Text}' heading; a help file has one '# Verb-Noun' title.");
                    break;
                case 2:
                    StartSection(block);
                    break;
                case 3:
                    StartItem(block);
                    break;
                default:
                    Error(Codes.Structure, block.Line, section, $"heading level {block.Level} ('{block.Text}') is not part of the help format; use ## sections and ### items.");
                    break;
            }
        }

        private void StartSection(MarkdownBlock block)
        {
            item = null;
            example = null;
            var index = Array.IndexOf(Sections.Ordered, block.Text);
            if (index < 0)
            {
                Error(Codes.Structure, block.Line, block.Text, $"unknown section; the sections are {string.Join(", ", Sections.Ordered.Select(s => "## " + s))}, in that order.");
                section = null;
                return;
            }
            if (index <= sectionIndex)
            {
                var problem = index == sectionIndex || doc.SectionLines.ContainsKey(block.Text) ? "appears twice" : $"comes after '## {section ?? Sections.Ordered[sectionIndex]}'";
                Error(Codes.Structure, block.Line, block.Text, $"the section {problem}; the order is {string.Join(", ", Sections.Ordered)}.");
            }
            section = block.Text;
            sectionIndex = Math.Max(sectionIndex, index);
            doc.SectionLines.TryAdd(block.Text, block.Line);
        }

        private void StartItem(MarkdownBlock block)
        {
            item = null;
            example = null;
            if (section is null || !Sections.WithItems.Contains(section))
            {
                Error(Codes.Structure, block.Line, section, $"'### {block.Text}': ### headings belong only under {string.Join(", ", Sections.WithItems.Select(s => "## " + s))}.");
                return;
            }
            switch (section)
            {
                case Sections.Examples:
                    var match = ExampleHeading().Match(block.Text);
                    if (!match.Success)
                    {
                        Error(Codes.Examples, block.Line, section, $"'### {block.Text}' must read '### Example N: title'.");
                        return;
                    }
                    if (int.Parse(match.Groups[1].Value) != doc.Examples.Count + 1)
                    {
                        Error(Codes.Examples, block.Line, section, $"'### {block.Text}' should be Example {doc.Examples.Count + 1}: examples are numbered 1, 2, 3... in order.");
                    }
                    example = new HelpExample(match.Groups[2].Value.Trim(), block.Line);
                    doc.Examples.Add(example);
                    return;
                case Sections.Parameters:
                    var parameter = ParameterHeading().Match(block.Text);
                    if (!parameter.Success)
                    {
                        Error(Codes.Structure, block.Line, section, $"'### {block.Text}' must read '### -ParameterName'.");
                        return;
                    }
                    var name = parameter.Groups[1].Value;
                    if (doc.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                    {
                        Error(Codes.Structure, block.Line, section, $"-{name} is documented twice.");
                        return;
                    }
                    item = new DocumentedItem(name, block.Line);
                    doc.Parameters.Add(item);
                    return;
                default:
                    item = new DocumentedItem(block.Text, block.Line);
                    ListOf(section).Add(item);
                    return;
            }
        }

        private void Content(MarkdownBlock block)
        {
            switch (section)
            {
                case null when doc.SectionLines.Count == 0:
                    Error(Codes.Structure, block.Line, null, "text between the title and '## SYNOPSIS'; put it under ## DESCRIPTION.");
                    return;
                case null:
                    return; // under an unknown section, already reported
                case Sections.Synopsis:
                    doc.Synopsis.Add(block.AsParagraph());
                    return;
                case Sections.Description:
                    doc.Description.Add(block.AsParagraph());
                    return;
                case Sections.Notes:
                    doc.Notes.Add(block.AsParagraph());
                    return;
                case Sections.Examples when example is not null:
                    if (block.Kind == BlockKind.Code && example.Code is null)
                    {
                        if (!string.Equals(block.Info, "powershell", StringComparison.OrdinalIgnoreCase))
                        {
                            Error(Codes.Examples, block.Line, section, $"the code of '{example.Title}' must be a ```powershell fence, not '```{block.Info}'.");
                        }
                        example.Code = block.Text;
                    }
                    else
                    {
                        example.Remarks.Add(block.AsParagraph());
                    }
                    return;
                case Sections.Examples:
                case Sections.Parameters or Sections.Inputs or Sections.Outputs or Sections.RelatedLinks when item is null:
                    Error(Codes.Structure, block.Line, section, $"text directly under '## {section}' belongs under a ### heading.");
                    return;
                default:
                    item!.Paragraphs.Add(block.AsParagraph());
                    return;
            }
        }

        private List<DocumentedItem> ListOf(string name) => name switch
        {
            Sections.Inputs => doc.Inputs,
            Sections.Outputs => doc.Outputs,
            _ => doc.RelatedLinks,
        };

        public void Finish()
        {
            foreach (var missing in Sections.Required.Where(s => !doc.SectionLines.ContainsKey(s)))
            {
                Error(Codes.MissingSection, 1, missing, "the required section is missing.");
            }
            RequireProse(doc.Synopsis, Sections.Synopsis, "one sentence saying what the cmdlet does");
            RequireProse(doc.Description, Sections.Description, "paragraphs describing the cmdlet's behaviour");
            if (doc.SectionLines.ContainsKey(Sections.Examples) && doc.Examples.Count < 2)
            {
                Error(Codes.Examples, doc.LineOf(Sections.Examples), Sections.Examples, $"has {doc.Examples.Count} example(s); at least 2 are required (interactive use, a script, a Pester check).");
            }
            foreach (var e in doc.Examples)
            {
                if (string.IsNullOrWhiteSpace(e.Code)) Error(Codes.Examples, e.Line, Sections.Examples, $"'{e.Title}' has no ```powershell code fence.");
                if (e.Remarks.Count == 0) Error(Codes.Examples, e.Line, Sections.Examples, $"'{e.Title}' has no prose after its code saying what it does.");
            }
            foreach (var p in doc.Parameters.Where(p => p.Paragraphs.Count == 0))
            {
                Error(Codes.Structure, p.Line, Sections.Parameters, $"-{p.Name} has no description.");
            }
            foreach (var (name, items) in new[] { (Sections.Inputs, doc.Inputs), (Sections.Outputs, doc.Outputs) })
            {
                if (doc.SectionLines.ContainsKey(name) && items.Count == 0)
                {
                    Error(Codes.Structure, doc.LineOf(name), name, "needs at least one '### Type.Name' heading ('### None' when there is none).");
                }
                foreach (var t in items.Where(t => t.Paragraphs.Count == 0 && t.Name != "None"))
                {
                    Error(Codes.Structure, t.Line, name, $"'### {t.Name}' has no prose saying what it carries.");
                }
            }
        }

        private void RequireProse(List<string> paragraphs, string name, string what)
        {
            if (doc.SectionLines.ContainsKey(name) && paragraphs.Count == 0)
            {
                Error(Codes.MissingSection, doc.LineOf(name), name, $"the section is empty; write {what}.");
            }
        }
    }
}
