using System.Collections.Generic;
using System.Linq;
using Markdig;
using Markdig.Syntax;

namespace RedisComponents.HelpBuilder;

public enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    Code,
}

/// <summary>
/// One block of a help source, flattened: headings, paragraphs (soft line breaks joined), list items
/// (with their nesting depth and marker) and code fences (verbatim). Inline Markdown stays as written:
/// `code` reads fine in a console.
/// </summary>
public sealed record MarkdownBlock(BlockKind Kind, int Line, string Text, int Level = 0, string Info = "")
{
    /// <summary>The block as one MAML paragraph: list items keep their marker, code keeps its lines.</summary>
    public string AsParagraph() => Kind switch
    {
        BlockKind.ListItem => new string(' ', 2 * Level) + Info + " " + Text,
        BlockKind.Code => string.Join("\n", Text.Split('\n').Select(l => "    " + l)),
        _ => Text,
    };
}

public static class MarkdownBlocks
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    public static IReadOnlyList<MarkdownBlock> Parse(string markdown)
    {
        var blocks = new List<MarkdownBlock>();
        Flatten(Markdown.Parse(markdown, Pipeline), markdown, blocks, 0);
        return blocks;
    }

    private static void Flatten(IEnumerable<Block> container, string source, List<MarkdownBlock> into, int depth)
    {
        foreach (var block in container)
        {
            var line = block.Line + 1;
            switch (block)
            {
                case HeadingBlock heading:
                    var raw = source.Substring(heading.Span.Start, heading.Span.Length);
                    into.Add(new MarkdownBlock(BlockKind.Heading, line, raw.Trim().Trim('#').Trim(), heading.Level));
                    break;
                case FencedCodeBlock fenced:
                    into.Add(new MarkdownBlock(BlockKind.Code, line, fenced.Lines.ToString().TrimEnd(), 0, fenced.Info ?? ""));
                    break;
                case CodeBlock code:
                    into.Add(new MarkdownBlock(BlockKind.Code, line, code.Lines.ToString().TrimEnd()));
                    break;
                case ParagraphBlock paragraph:
                    into.Add(new MarkdownBlock(BlockKind.Paragraph, line, JoinLines(paragraph, source)));
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var marker = list.IsOrdered ? $"{number++}." : "-";
                        var text = string.Join(" ", item.OfType<ParagraphBlock>().Select(p => JoinLines(p, source)));
                        into.Add(new MarkdownBlock(BlockKind.ListItem, item.Line + 1, text, depth, marker));
                        Flatten(item.Where(b => b is not ParagraphBlock), source, into, depth + 1);
                    }
                    break;
                case QuoteBlock quote:
                    Flatten(quote, source, into, depth);
                    break;
                // HTML comments, thematic breaks, link definitions: nothing a console reader needs.
            }
        }
    }

    /// <summary>A paragraph's source text on one line (Markdig frees a paragraph's lines once its inlines are parsed, so the span is used).</summary>
    private static string JoinLines(ParagraphBlock block, string source)
    {
        var quoted = block.Parent is QuoteBlock;
        var lines = source.Substring(block.Span.Start, block.Span.Length).Split('\n')
            .Select(l => quoted ? l.Trim().TrimStart('>') : l)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0);
        return string.Join(" ", lines);
    }
}
