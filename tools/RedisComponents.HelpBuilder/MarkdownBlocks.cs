using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

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
/// (with their nesting depth and marker) and code fences (verbatim). Inline Markdown becomes console text.
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

public static partial class MarkdownBlocks
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    public static IReadOnlyList<MarkdownBlock> Parse(string markdown)
    {
        var blocks = new List<MarkdownBlock>();
        Flatten(Markdown.Parse(markdown, Pipeline), blocks, 0);
        return blocks;
    }

    private static void Flatten(IEnumerable<Block> container, List<MarkdownBlock> into, int depth)
    {
        foreach (var block in container)
        {
            var line = block.Line + 1;
            switch (block)
            {
                case HeadingBlock heading:
                    into.Add(new MarkdownBlock(BlockKind.Heading, line, PlainText(heading), heading.Level));
                    break;
                case FencedCodeBlock fenced:
                    into.Add(new MarkdownBlock(BlockKind.Code, line, fenced.Lines.ToString().TrimEnd(), 0, fenced.Info ?? ""));
                    break;
                case CodeBlock code:
                    into.Add(new MarkdownBlock(BlockKind.Code, line, code.Lines.ToString().TrimEnd()));
                    break;
                case ParagraphBlock paragraph:
                    into.Add(new MarkdownBlock(BlockKind.Paragraph, line, PlainText(paragraph)));
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var marker = list.IsOrdered ? $"{number++}." : "-";
                        var text = string.Join(" ", item.OfType<ParagraphBlock>().Select(PlainText));
                        into.Add(new MarkdownBlock(BlockKind.ListItem, item.Line + 1, text, depth, marker));
                        Flatten(item.Where(b => b is not ParagraphBlock), into, depth + 1);
                    }
                    break;
                case QuoteBlock quote:
                    Flatten(quote, into, depth);
                    break;
                // HTML comments, thematic breaks, link definitions: nothing a console reader needs.
            }
        }
    }

    /// <summary>
    /// A paragraph as console text: soft line breaks become spaces, `code` and *emphasis* lose their
    /// markers, a link keeps its text and shows its address in parentheses.
    /// </summary>
    private static string PlainText(LeafBlock block)
    {
        var text = new StringBuilder();
        AppendInlines(block.Inline, text);
        return MultipleSpaces().Replace(text.ToString(), " ").Trim();
    }

    private static void AppendInlines(ContainerInline? container, StringBuilder text)
    {
        if (container is null) return;
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case AutolinkInline auto:
                    text.Append(auto.Url);
                    break;
                case LinkInline link:
                    var before = text.Length;
                    AppendInlines(link, text);
                    var label = text.ToString(before, text.Length - before);
                    if (!string.IsNullOrEmpty(link.Url) && label != link.Url) text.Append(" (").Append(link.Url).Append(')');
                    break;
                case HtmlInline html:
                    text.Append(html.Tag);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case ContainerInline nested:
                    AppendInlines(nested, text);
                    break;
            }
        }
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();
}
