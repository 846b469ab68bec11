using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace RedisComponents.Tests.Logging;

/// <summary>
/// The book's log_recent / log_common (5.1, with the errata fix) run by /usr/bin/python3 with redis-py, the
/// only change being that "now" is passed in (asctime(localtime(NOW)) is what asctime() prints at NOW).
/// </summary>
internal static class PythonBook
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, logging, sys, time
        from datetime import datetime, timezone
        import redis

        NOW = None

        SEVERITY = {logging.DEBUG: 'debug', logging.INFO: 'info', logging.WARNING: 'warning',
                    logging.ERROR: 'error', logging.CRITICAL: 'critical'}

        def log_recent(conn, name, message, severity=logging.INFO, pipe=None):
            severity = str(SEVERITY.get(severity, severity)).lower()
            destination = 'recent:%s:%s' % (name, severity)
            message = time.asctime(time.localtime(NOW)) + ' ' + message
            pipe = pipe or conn.pipeline()
            pipe.lpush(destination, message)
            pipe.ltrim(destination, 0, 99)
            pipe.execute()

        def log_common(conn, name, message, severity=logging.INFO, timeout=5):
            severity = str(SEVERITY.get(severity, severity)).lower()
            destination = 'common:%s:%s' % (name, severity)
            start_key = destination + ':start'
            pipe = conn.pipeline()
            end = time.time() + timeout
            while time.time() < end:
                try:
                    pipe.watch(start_key)
                    now = datetime.fromtimestamp(NOW, timezone.utc).replace(tzinfo=None).timetuple()
                    hour_start = datetime(*now[:4]).isoformat()
                    existing = pipe.get(start_key)
                    pipe.multi()
                    if existing and existing < hour_start:
                        pipe.rename(destination, destination + ':last')
                        pipe.rename(start_key, destination + ':pstart')
                        pipe.set(start_key, hour_start)
                    elif not existing:
                        pipe.set(start_key, hour_start)
                    pipe.zincrby(destination, 1, message)
                    log_recent(pipe, name, message, severity, pipe)
                    return
                except redis.exceptions.WatchError:
                    continue

        conn = redis.Redis(host=sys.argv[1], port=int(sys.argv[2]), decode_responses=True)
        for op, name, message, severity, NOW in json.load(sys.stdin):
            (log_recent if op == 'recent' else log_common)(conn, name, message, severity)
        """;

    private static readonly Lazy<bool> Usable = new(() => Run("import redis", null, "", out _) == 0);

    /// <summary>True when /usr/bin/python3 exists and imports redis.</summary>
    public static bool Available => Usable.Value;

    /// <summary>Runs the operations (op "recent"/"common", name, message, Python logging level, unix time) against host:port.</summary>
    public static void Log(string host, int port, IEnumerable<(string Op, string Name, string Message, int Level, long Now)> operations)
    {
        var ops = new List<object[]>();
        foreach (var o in operations) ops.Add(new object[] { o.Op, o.Name, o.Message, o.Level, o.Now });
        var path = Path.Combine(Path.GetTempPath(), $"redis-components-book-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, Script);
        try
        {
            var code = Run(path, new[] { host, port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, JsonSerializer.Serialize(ops), out var stderr);
            if (code != 0) throw new InvalidOperationException($"python exited {code}: {stderr}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int Run(string scriptOrCode, string[]? args, string stdin, out string stderr)
    {
        stderr = "";
        if (!File.Exists(Python)) return -1;
        var psi = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        if (args is null)
        {
            psi.ArgumentList.Add("-c");
        }
        psi.ArgumentList.Add(scriptOrCode);
        foreach (var a in args ?? Array.Empty<string>()) psi.ArgumentList.Add(a);
        psi.Environment["TZ"] = ZonedClock.PosixTz;
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var errors = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("python did not finish within 30 s");
        }
        stderr = errors.Result;
        return p.ExitCode;
    }
}
