using System;
using System.Diagnostics;
using System.IO;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>Runs the book's Python (redis-py under /usr/bin/python3) against a test server, for interop checks.</summary>
public static class Python
{
    private const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<bool> HasRedisPy = new(() => File.Exists(Interpreter) && Run("import redis", "").ExitCode == 0);

    /// <summary>True when /usr/bin/python3 can import redis (Debian python3-redis).</summary>
    public static bool Available => HasRedisPy.Value;

    /// <summary>Runs <paramref name="script"/> with <c>conn</c> bound to a redis-py client of <paramref name="endpoint"/>; returns stdout.</summary>
    public static string RunWithRedis(string endpoint, string script)
    {
        var parts = endpoint.Split(':');
        var prelude = $"import redis, json, time\nconn = redis.Redis(host='{parts[0]}', port={parts[1]}, decode_responses=True)\n";
        var (code, output, error) = Run(prelude + script, "");
        if (code != 0) throw new InvalidOperationException("python failed: " + error);
        return output;
    }

    private static (int ExitCode, string Output, string Error) Run(string script, string stdin)
    {
        var psi = new ProcessStartInfo(Interpreter) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(true);
            throw new TimeoutException("python did not finish within 30 s");
        }
        return (p.ExitCode, output.Result, error.Result);
    }
}
