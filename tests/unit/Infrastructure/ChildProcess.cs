using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>What a finished child process printed.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for failure messages.</summary>
    public string All => Output + Error;
}

/// <summary>
/// Runs a child process (dotnet, pwsh, python) to completion for a test: both streams drain concurrently, so a
/// full pipe cannot stall it, and the wait is bounded — an overrun kills the process tree and fails the test.
/// </summary>
public static class ChildProcess
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;

        using var process = Process.Start(psi)!;
        process.StandardInput.Close(); // nothing reads the console: a prompt would otherwise wait forever
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        // A grandchild that outlives the process (a server it started) can hold the streams open: bounded too.
        if (!System.Threading.Tasks.Task.WaitAll(new System.Threading.Tasks.Task[] { output, error }, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', psi.ArgumentList)} exited with {process.ExitCode}, but a process it started still holds its output open.");
        }
        return new ProcessResult(process.ExitCode, output.Result, error.Result);
    }
}
