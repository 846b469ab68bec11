using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RedisComponents.HelpBuilder;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// One finding about a help source. Printed in MSBuild's canonical format ("file(line): error CODE: text"),
/// so the build shows it as an error or warning pointing at the Markdown line.
/// </summary>
public sealed record Diagnostic(Severity Severity, string Code, string File, int Line, string? Section, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}({Line})" : File;
        var section = Section is null ? "" : $", section '## {Section}'";
        var kind = Severity == Severity.Error ? "error" : "warning";
        return $"{where}: {kind} {Code}: {Path.GetFileName(File)}{section}: {Message}";
    }
}

/// <summary>Collects the findings of one generator run.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = new();

    public IReadOnlyList<Diagnostic> Items => items;

    public bool HasErrors => items.Any(d => d.Severity == Severity.Error);

    public void Error(string code, string file, int line, string? section, string message) =>
        items.Add(new Diagnostic(Severity.Error, code, file, line, section, message));

    public void Warning(string code, string file, int line, string? section, string message) =>
        items.Add(new Diagnostic(Severity.Warning, code, file, line, section, message));
}

/// <summary>The diagnostic codes, one per kind of problem, so a build log can be searched for them.</summary>
public static class Codes
{
    public const string Structure = "RCHELP001";
    public const string MissingSection = "RCHELP002";
    public const string UnknownParameter = "RCHELP003";
    public const string UndocumentedParameter = "RCHELP004";
    public const string Examples = "RCHELP005";
    public const string NoCmdlet = "RCHELP006";
    public const string NoHelpFile = "RCHELP007";
    public const string TypeMismatch = "RCHELP008";
    public const string Load = "RCHELP009";
}
