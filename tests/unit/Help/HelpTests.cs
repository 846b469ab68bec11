using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Help;

/// <summary>One runspace with the built module (and its en-US help) imported, shared by the help tests.</summary>
public sealed class HelpHostFixture : IDisposable
{
    public PsHost Host { get; } = new();

    public void Dispose() => Host.Dispose();
}

/// <summary>
/// What a PowerShell user sees with Get-Help: every exported cmdlet (whatever branch added it) has full
/// help from the generated MAML, and it agrees with how PowerShell itself binds the cmdlet.
/// </summary>
public class HelpTests(HelpHostFixture fixture) : IClassFixture<HelpHostFixture>
{
    // foreach, not "@($x) | ForEach-Object": piping $null would yield one empty entry for a missing list.
    private const string HelpScript = """
        $h = Get-Help -Name $name -Full
        @{
            Synopsis = [string]$h.Synopsis
            Description = @(foreach ($d in $h.description) { $d.Text }) -join "`n"
            ExampleCode = @(foreach ($e in $h.examples.example) { [string]$e.code })
            ExampleRemarks = @(foreach ($e in $h.examples.example) { @(foreach ($r in $e.remarks) { $r.Text }) -join ' ' })
            SyntaxItems = @(foreach ($s in $h.syntax.syntaxItem) { $s }).Count
            Links = @(foreach ($l in $h.relatedLinks.navigationLink) { [string]$l.linkText })
            Parameters = @(foreach ($p in $h.parameters.parameter) {
                @{
                    Name = [string]$p.name
                    Text = @(foreach ($d in $p.description) { $d.Text }) -join ' '
                    Required = [string]$p.required
                    PipelineInput = [string]$p.pipelineInput
                    Position = [string]$p.position
                    Type = [string]$p.type.name
                }
            })
        }
        """;

    private static readonly HashSet<string> NotDocumented = new(
        Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);

    private PsHost Ps => fixture.Host;

    public static TheoryData<string> ExportedCmdlets() => new(ModuleManifest.ExportedCmdlets);

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void CmdletHasFullHelp(string name)
    {
        var help = HelpOf(name);
        var missing = $"{name} has no generated help: write docs/help/{name}.md (format: docs/help/README.md) and rebuild.";
        var synopsis = (string)help["Synopsis"]!;
        // Without a MAML entry Get-Help makes up a synopsis from the syntax, starting with the cmdlet name.
        Assert.False(string.IsNullOrWhiteSpace(synopsis) || synopsis.TrimStart().StartsWith(name, StringComparison.OrdinalIgnoreCase), missing);
        Assert.False(string.IsNullOrWhiteSpace((string)help["Description"]!), missing);

        var code = Strings(help["ExampleCode"]);
        Assert.True(code.Count >= 2, $"{name} has {code.Count} example(s) in Get-Help; at least 2 are required.");
        Assert.All(code, c => Assert.False(string.IsNullOrWhiteSpace(c), $"{name} has an example without code."));
        Assert.All(Strings(help["ExampleRemarks"]), r => Assert.False(string.IsNullOrWhiteSpace(r), $"{name} has an example without remarks."));
        Assert.Contains("about_RedisComponents", Strings(help["Links"]));

        var documented = Parameters(help).ToDictionary(p => (string)p["Name"]!, StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in Declared(name).Values.Where(p => !NotDocumented.Contains(p.Name)))
        {
            Assert.True(documented.TryGetValue(parameter.Name, out var entry), $"Get-Help {name} does not document -{parameter.Name}.");
            Assert.False(string.IsNullOrWhiteSpace((string)entry!["Text"]!), $"Get-Help {name} has no description for -{parameter.Name}.");
        }
    }

    /// <summary>The generator reads the cmdlet classes itself; PowerShell's own metadata must say the same.</summary>
    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void HelpAgreesWithHowPowerShellBindsTheCmdlet(string name)
    {
        var help = HelpOf(name);
        Assert.Equal(CommandOf(name).ParameterSets.Count, (int)help["SyntaxItems"]!);

        var declared = Declared(name);
        foreach (var entry in Parameters(help))
        {
            var parameterName = (string)entry["Name"]!;
            Assert.True(declared.TryGetValue(parameterName, out var metadata), $"Get-Help {name} documents -{parameterName}, which the cmdlet does not have.");
            var sets = metadata!.ParameterSets.Values.ToList();
            Assert.Equal(sets.All(s => s.IsMandatory), bool.Parse((string)entry["Required"]!));
            var pipeline = (string)entry["PipelineInput"]!;
            Assert.Equal(sets.Any(s => s.ValueFromPipeline), pipeline.Contains("ByValue", StringComparison.Ordinal));
            Assert.Equal(sets.Any(s => s.ValueFromPipelineByPropertyName), pipeline.Contains("ByPropertyName", StringComparison.Ordinal));
            var position = sets.Select(s => s.Position).FirstOrDefault(p => p != int.MinValue, int.MinValue);
            Assert.Equal(position == int.MinValue ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)entry["Position"]!);
            // Help names a nullable by its value type and writes generics as Name[Args]: compare the plain cases.
            var type = Nullable.GetUnderlyingType(metadata.ParameterType) ?? metadata.ParameterType;
            if (!type.IsGenericType && !(type.GetElementType()?.IsGenericType ?? false)) Assert.Equal(type.FullName, (string)entry["Type"]!);
        }
    }

    [Fact]
    public void AboutTopicIsFound()
    {
        var result = Ps.Run("Get-Help -Name about_RedisComponents").ThrowIfFailed();
        var text = string.Join("\n", result.Output.Select(o => o.ToString()));
        Assert.Contains("about_RedisComponents", text);
        foreach (var expected in new[]
                 {
                     "config:redis:NAME", "REDIS_COMPONENTS_CONFIG_SERVER", "localhost:6379", "RefreshSeconds",
                     "ComponentConfigNotFound", "ComponentConfigInvalid", "ConfigServerUnreachable", "ComponentUnreachable",
                     "socket_connect_timeout", "recent:<name>:<severity>", "common:<name>:<severity>", ":pstart", "known:",
                     "count:<precision>:<name>", "stats:<context>:<type>", "sumsq", "slowest:AccessTime", "ip2cityid:",
                     "cityid2city:", "config:<type>:<component>", "is-under-maintenance",
                 })
        {
            Assert.Contains(expected, text);
        }
    }

    private Hashtable HelpOf(string name) =>
        Ps.Run(HelpScript, new() { ["name"] = name }).ThrowIfFailed().Single<Hashtable>();

    private CmdletInfo CommandOf(string name) =>
        (CmdletInfo)Ps.Run("Get-Command -Name $name -CommandType Cmdlet", new() { ["name"] = name }).ThrowIfFailed().Output.Single().BaseObject;

    private Dictionary<string, ParameterMetadata> Declared(string name) =>
        CommandOf(name).Parameters.Values.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<Hashtable> Parameters(Hashtable help) =>
        ((IEnumerable)help["Parameters"]!).Cast<object>().Select(o => (Hashtable)(o is PSObject p ? p.BaseObject : o));

    private static List<string> Strings(object? value) =>
        ((IEnumerable)value!).Cast<object?>().Select(o => (o is PSObject p ? p.BaseObject : o)?.ToString() ?? "").ToList();
}
