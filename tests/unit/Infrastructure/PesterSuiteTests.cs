using System;
using System.Collections.Generic;
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
        var run = ChildProcess.Run("dotnet", new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", script },
            TimeSpan.FromMinutes(5), workingDirectory: RepositoryRoot.Path,
            environment: new Dictionary<string, string> { ["REDIS_COMPONENTS_TEST_MODULE"] = PsHost.ManifestPath });
        var output = run.All;
        var summary = Regex.Match(output, @"PESTER-SUMMARY passed=(\d+) failed=(\d+) containers-failed=(\d+)");
        Assert.True(summary.Success, "pwsh did not report a Pester summary:\n" + output);
        Assert.True(int.Parse(summary.Groups[2].Value) == 0 && int.Parse(summary.Groups[3].Value) == 0, output);
        Assert.True(int.Parse(summary.Groups[1].Value) >= 50, "Fewer Pester tests ran than exist:\n" + output);
    }
}
