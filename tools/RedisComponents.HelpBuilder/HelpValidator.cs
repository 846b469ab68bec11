using System;
using System.Collections.Generic;
using System.Linq;

namespace RedisComponents.HelpBuilder;

/// <summary>
/// Checks a help document against its cmdlet class: the title, every declared parameter documented and
/// nothing else, and (as warnings) the input and output types.
/// </summary>
public static class HelpValidator
{
    public static void Validate(HelpDocument doc, CmdletModel cmdlet, DiagnosticBag diagnostics)
    {
        if (doc.Title.Length > 0 && !string.Equals(doc.Title, cmdlet.Name, StringComparison.Ordinal))
        {
            diagnostics.Error(Codes.Structure, doc.Path, 1, null, $"the title '# {doc.Title}' must be the cmdlet name '# {cmdlet.Name}'.");
        }
        CheckParameters(doc, cmdlet, diagnostics);
        CheckTypes(doc, doc.Outputs, Sections.Outputs, cmdlet.OutputTypes.Where(t => t != typeof(void).FullName).ToList(), "[OutputType]", diagnostics);
        var pipelineTypes = cmdlet.Parameters.Where(p => p.Sets.Values.Any(b => b.ByValue)).Select(p => p.Type.FullName!).Distinct().ToList();
        CheckTypes(doc, doc.Inputs, Sections.Inputs, pipelineTypes, "ValueFromPipeline parameters", diagnostics, onlyMissing: true);
    }

    private static void CheckParameters(HelpDocument doc, CmdletModel cmdlet, DiagnosticBag diagnostics)
    {
        if (!doc.SectionLines.ContainsKey(Sections.Parameters)) return; // reported as a missing section
        var declared = cmdlet.DocumentedParameters.Select(p => p.Name).ToList();
        var declaredText = declared.Count == 0 ? "none besides the common parameters" : string.Join(", ", declared.Select(n => "-" + n));
        foreach (var documented in doc.Parameters)
        {
            var actual = cmdlet.Find(documented.Name);
            if (actual is null)
            {
                diagnostics.Error(Codes.UnknownParameter, doc.Path, documented.Line, Sections.Parameters,
                    $"documents -{documented.Name}, but {cmdlet.Name} has no such parameter (it declares: {declaredText}).");
            }
            else if (actual.Name != documented.Name)
            {
                diagnostics.Error(Codes.UnknownParameter, doc.Path, documented.Line, Sections.Parameters,
                    $"write -{documented.Name} as -{actual.Name}, the way {cmdlet.Name} declares it.");
            }
        }
        foreach (var name in declared.Where(n => !doc.Parameters.Any(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase))))
        {
            diagnostics.Error(Codes.UndocumentedParameter, doc.Path, doc.LineOf(Sections.Parameters), Sections.Parameters,
                $"{cmdlet.Name} declares -{name}, which is not documented; add a '### -{name}' block.");
        }
    }

    /// <summary>Types are prose headings, so a mismatch is a warning: the build still ships help.</summary>
    private static void CheckTypes(HelpDocument doc, List<DocumentedItem> items, string section, IReadOnlyList<string> expected, string source,
        DiagnosticBag diagnostics, bool onlyMissing = false)
    {
        if (!doc.SectionLines.ContainsKey(section)) return;
        var documented = items.Select(i => i.Name).ToList();
        foreach (var type in expected.Where(t => !documented.Any(d => SameType(d, t))))
        {
            diagnostics.Warning(Codes.TypeMismatch, doc.Path, doc.LineOf(section), section,
                $"{type} (from the cmdlet's {source}) is not listed; add a '### {type}' block.");
        }
        if (onlyMissing) return;
        foreach (var item in items.Where(i => i.Name != "None" && !expected.Any(t => SameType(i.Name, t))))
        {
            diagnostics.Warning(Codes.TypeMismatch, doc.Path, item.Line, section,
                $"'### {item.Name}' is not among the cmdlet's {source} ({(expected.Count == 0 ? "none" : string.Join(", ", expected))}).");
        }
    }

    private static bool SameType(string documented, string fullName) =>
        string.Equals(documented, fullName, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(documented, fullName.Split('.').Last(), StringComparison.OrdinalIgnoreCase);
}
