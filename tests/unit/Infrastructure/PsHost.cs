using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// A PowerShell runspace (System.Management.Automation hosted in-process) with the built module
/// imported, driven the way a user's script would drive it.
/// </summary>
public sealed class PsHost : IDisposable
{
    /// <summary>The module manifest copied beside the test assembly by the build.</summary>
    public static string ManifestPath { get; } = Path.Combine(AppContext.BaseDirectory, "RedisComponents.psd1");

    public PsHost(string? configServer = null, double refreshSeconds = 1, bool withTestCmdlets = false)
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { ManifestPath });
        if (withTestCmdlets) iss.ImportPSModule(new[] { typeof(PsHost).Assembly.Location });
        Runspace = RunspaceFactory.CreateRunspace(Host, iss);
        Runspace.Open();
        if (configServer is not null)
        {
            Run("Connect-RedisConfigServer -Configuration $cs -RefreshSeconds $r", new() { ["cs"] = configServer, ["r"] = refreshSeconds }).ThrowIfFailed();
        }
    }

    public Runspace Runspace { get; }

    /// <summary>The console this runspace writes to (Out-Host, prompts).</summary>
    public CapturingHost Host { get; } = new();

    /// <summary>Runs the script piped to Out-Host and returns the console text: what a user would see.</summary>
    public string Render(string script, Dictionary<string, object?>? variables = null)
    {
        Host.TakeScreen();
        Run("& { " + script + " } | Out-Host", variables).ThrowIfFailed();
        return System.Text.RegularExpressions.Regex.Replace(Host.TakeScreen(), "\x1b\\[[0-9;]*m", ""); // no colours
    }

    /// <summary>Runs a script with variables set first; collects every stream.</summary>
    public PsResult Run(string script, Dictionary<string, object?>? variables = null)
    {
        if (variables is not null)
        {
            foreach (var (name, value) in variables) Runspace.SessionStateProxy.SetVariable(name, value);
        }
        using var ps = PowerShell.Create(Runspace);
        ps.AddScript(script);
        var result = new PsResult();
        try
        {
            result.Output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            result.Terminating = ex;
        }
        result.Errors = ps.Streams.Error.ToList();
        result.Warnings = ps.Streams.Warning.Select(w => w.Message).ToList();
        result.Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList();
        result.Progress = ps.Streams.Progress.ToList();
        return result;
    }

    public void Dispose()
    {
        Runspace.Dispose();
    }
}

public sealed class PsResult
{
    public Collection<PSObject> Output { get; set; } = new();
    public List<ErrorRecord> Errors { get; set; } = new();
    public List<string> Warnings { get; set; } = new();
    public List<string> Verbose { get; set; } = new();
    public List<ProgressRecord> Progress { get; set; } = new();
    public RuntimeException? Terminating { get; set; }

    public bool Succeeded => Terminating is null && Errors.Count == 0;

    public PsResult ThrowIfFailed()
    {
        if (!Succeeded) throw new InvalidOperationException("PowerShell failed: " + Describe());
        return this;
    }

    /// <summary>Every stream as text, with ToString() of each output object: what a user could ever see.</summary>
    public string AllText()
    {
        var sb = new StringBuilder();
        foreach (var o in Output)
        {
            sb.AppendLine(o?.ToString());
            if (o is null) continue;
            foreach (var p in o.Properties)
            {
                try
                {
                    sb.AppendLine($"{p.Name}={Flatten(p.Value)}");
                }
                catch (GetValueException)
                {
                }
            }
        }
        foreach (var e in Errors) sb.AppendLine(e.ToString()).AppendLine(e.Exception?.ToString()).AppendLine(e.ErrorDetails?.Message).AppendLine(e.ErrorDetails?.RecommendedAction);
        foreach (var w in Warnings) sb.AppendLine(w);
        foreach (var v in Verbose) sb.AppendLine(v);
        if (Terminating is not null) sb.AppendLine(Terminating.ToString());
        return sb.ToString();
    }

    public string Describe() =>
        Terminating?.ToString() ?? string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));

    private static string Flatten(object? value) => value switch
    {
        null => "",
        string s => s,
        IDictionary d => string.Join(";", d.Keys.Cast<object>().Select(k => $"{k}={Flatten(d[k])}")),
        IEnumerable e => string.Join(";", e.Cast<object?>().Select(Flatten)),
        _ => value.ToString() ?? "",
    };
}
