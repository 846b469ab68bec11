using System.Linq;
using System.Text;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// Turns docs/help/about_Topic.md into the plain-text about_Topic.help.txt Get-Help shows: section
/// headings in capitals at the margin, prose indented four spaces and wrapped at 80 columns, code
/// indented eight, list items with a hanging indent.
/// </summary>
public static class AboutTopicWriter
{
    public const int Width = 80;

    public static string Write(string topic, string markdown, string path, DiagnosticBag diagnostics)
    {
        var blocks = MarkdownBlocks.Parse(markdown);
        if (blocks.Count == 0 || blocks[0] is not { Kind: BlockKind.Heading, Level: 1 } || blocks[0].Text != topic)
        {
            diagnostics.Error(Codes.Structure, path, blocks.FirstOrDefault()?.Line ?? 1, null, $"an about topic must start with '# {topic}'.");
        }
        if (!blocks.Any(b => b is { Kind: BlockKind.Heading, Level: 2, Text: "SHORT DESCRIPTION" }))
        {
            diagnostics.Error(Codes.MissingSection, path, 1, "SHORT DESCRIPTION", "Get-Help takes an about topic's synopsis from this section.");
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n    ").Append(topic).Append('\n');
        var previous = BlockKind.Heading;
        foreach (var block in blocks.Skip(1))
        {
            // A blank line between blocks, but not under a heading nor between the items of one list.
            var sameList = block.Kind == BlockKind.ListItem && previous == BlockKind.ListItem;
            if (block.Kind == BlockKind.Heading || !(sameList || previous == BlockKind.Heading)) text.Append('\n');
            previous = block.Kind;
            switch (block.Kind)
            {
                case BlockKind.Heading:
                    text.Append(block.Text.ToUpperInvariant()).Append('\n');
                    break;
                case BlockKind.Code:
                    foreach (var line in block.Text.Split('\n')) text.Append((new string(' ', 8) + line).TrimEnd()).Append('\n');
                    break;
                case BlockKind.ListItem:
                    var indent = 4 + 2 * block.Level;
                    Wrap(text, block.Info + " " + block.Text, indent, indent + block.Info.Length + 1);
                    break;
                default:
                    Wrap(text, block.Text, 4, 4);
                    break;
            }
        }
        return text.ToString();
    }

    private static void Wrap(StringBuilder text, string paragraph, int firstIndent, int nextIndent)
    {
        var line = new StringBuilder(new string(' ', firstIndent));
        var atStart = true;
        foreach (var word in paragraph.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
        {
            if (!atStart && line.Length + 1 + word.Length > Width)
            {
                text.Append(line).Append('\n');
                line.Clear().Append(' ', nextIndent);
                atStart = true;
            }
            if (!atStart) line.Append(' ');
            line.Append(word);
            atStart = false;
        }
        text.Append(line).Append('\n');
    }
}
