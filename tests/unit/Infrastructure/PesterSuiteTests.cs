using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// Runs tests/pester for real: pwsh 7 (the repository's local dotnet tool) with Pester 5 (restored from
/// NuGet by this project), against the module built into this test folder, as `Invoke-Pester -CI` would.
/// </summary>
public class PesterSuiteTests
{
    private static readonly string PesterManifest = typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PesterManifest").Value!;

    [Fact]
    public void PesterSuitePassesUnderPwsh()
    {
        Assert.True(File.Exists(PesterManifest), $"Pester is not restored at {PesterManifest}: run 'dotnet restore tests/unit'.");
        var script = $"""
            $ErrorActionPreference = 'Stop'
            Import-Module '{PesterManifest}'
            $c = New-PesterConfiguration
            $c.Run.Path = '{Path.Combine(RepositoryRoot.Path, "tests", "pester")}'
            $c.Run.PassThru = $true
            $c.Output.Verbosity = 'Normal'
            $c.Output.RenderMode = 'Plaintext'
            $r = Invoke-Pester -Configuration $c
            "PESTER-SUMMARY passed=$($r.PassedCount) failed=$($r.FailedCount) containers-failed=$($r.FailedContainersCount)"
            """;
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", script }) psi.ArgumentList.Add(a);
        psi.Environment["REDIS_COMPONENTS_TEST_MODULE"] = PsHost.ManifestPath;

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("The Pester suite did not finish within 5 minutes.");
        }
        var output = stdout.Result + stderr.Result;
        var summary = Regex.Match(output, @"PESTER-SUMMARY passed=(\d+) failed=(\d+) containers-failed=(\d+)");
        Assert.True(summary.Success, "pwsh did not report a Pester summary:\n" + output);
        Assert.True(int.Parse(summary.Groups[2].Value) == 0 && int.Parse(summary.Groups[3].Value) == 0, output);
        Assert.True(int.Parse(summary.Groups[1].Value) >= 50, "Fewer Pester tests ran than exist:\n" + output);
    }
}
