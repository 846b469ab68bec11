using System;
using System.Collections.Generic;
using System.IO;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>Runs the book's Python (redis-py under /usr/bin/python3) against a test server, for interop checks.</summary>
public static class Python
{
    private const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<bool> HasRedisPy = new(() => File.Exists(Interpreter) && Run(new[] { "-c", "import redis" }).ExitCode == 0);

    /// <summary>True when /usr/bin/python3 can import redis (Debian python3-redis).</summary>
    public static bool Available => HasRedisPy.Value;

    /// <summary>Runs <paramref name="script"/> with <c>conn</c> bound to a redis-py client of <paramref name="endpoint"/>; returns stdout.</summary>
    public static string RunWithRedis(string endpoint, string script)
    {
        var parts = endpoint.Split(':');
        var prelude = $"import redis, json, time\nconn = redis.Redis(host='{parts[0]}', port={parts[1]}, decode_responses=True)\n";
        var run = Run(new[] { "-c", prelude + script });
        if (run.ExitCode != 0) throw new InvalidOperationException("python failed: " + run.Error);
        return run.Output;
    }

    /// <summary>Runs python3 with <paramref name="arguments"/> (a script and its arguments, or -c code); output is UTF-8.</summary>
    public static ProcessResult Run(IEnumerable<string> arguments, int timeoutSeconds = 30) =>
        ChildProcess.Run(Interpreter, arguments, TimeSpan.FromSeconds(timeoutSeconds),
            environment: new Dictionary<string, string> { ["PYTHONIOENCODING"] = "utf-8" });
}
