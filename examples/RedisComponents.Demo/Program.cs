using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Sockets;

// Usage: dotnet run --project examples/RedisComponents.Demo [-- <config server>]
// The config server defaults to $REDIS_COMPONENTS_CONFIG_SERVER, then localhost:6379. When nothing answers
// there and redis-server is on PATH, a throw-away one is started on a free port for the demo.
var configServer = args.FirstOrDefault()
    ?? Environment.GetEnvironmentVariable("REDIS_COMPONENTS_CONFIG_SERVER")
    ?? "localhost:6379";
Process? temporary = null;
if (args.Length == 0 && !Answers(configServer) && TryStartRedis(out temporary, out var started))
{
    Console.WriteLine($"(nothing answers at {configServer}; started a temporary redis-server at {started})");
    configServer = started;
}

var script = Path.Combine(FindExamples(), "demo.ps1");
var iss = InitialSessionState.CreateDefault2();
iss.ImportPSModule(new[] { Path.Combine(AppContext.BaseDirectory, "RedisComponents.psd1") });
using var runspace = RunspaceFactory.CreateRunspace(iss);
runspace.Open();
using var ps = PowerShell.Create(runspace);
ps.AddCommand(script).AddParameter("ConfigServer", configServer);
ps.Streams.Information.DataAdded += (_, e) => Console.WriteLine(ps.Streams.Information[e.Index].MessageData);
ps.Streams.Warning.DataAdded += (_, e) => Console.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
ps.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine("ERROR: " + ps.Streams.Error[e.Index]);
var output = new PSDataCollection<PSObject>();
output.DataAdded += (_, e) => Console.WriteLine(Render(output[e.Index]));
var exitCode = 0;
try
{
    ps.Invoke(null, output);
    exitCode = ps.HadErrors ? 1 : 0;
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine("ERROR: " + ex.Message);
    exitCode = 1;
}
finally
{
    temporary?.Kill(entireProcessTree: true);
}
return exitCode;

// Objects as "Type: Name=value; ..." lines (Format-Table is not in a bare System.Management.Automation host).
static string Render(PSObject o)
{
    if (o.BaseObject is string or ValueType) return o.BaseObject.ToString() ?? "";
    var props = o.Properties.Where(p => p.IsGettable && p.MemberType == PSMemberTypes.Property)
        .Select(p => $"{p.Name}={Text(SafeValue(p))}");
    return $"  {o.BaseObject.GetType().Name}: {string.Join("; ", props)}";
}

static object? SafeValue(PSPropertyInfo p)
{
    try { return p.Value; } catch (GetValueException) { return null; }
}

static string Text(object? v) => v switch
{
    null => "",
    string s => s,
    IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => $"{k}={d[k]}")) + "}",
    IEnumerable e => "[" + string.Join(", ", e.Cast<object>()) + "]",
    _ => v.ToString() ?? "",
};

static bool Answers(string endpoint)
{
    var hostPort = endpoint.Split(',')[0];
    if (hostPort.Contains("://")) return true; // a URL: let the module report on it
    var parts = hostPort.Split(':');
    try
    {
        using var client = new TcpClient();
        return client.ConnectAsync(parts[0], parts.Length > 1 ? int.Parse(parts[1]) : 6379).Wait(1000) && client.Connected;
    }
    catch (Exception)
    {
        return false;
    }
}

static bool TryStartRedis(out Process? process, out string endpoint)
{
    process = null;
    endpoint = "";
    var exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
    if (exe is null) return false;
    var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) psi.ArgumentList.Add(a);
    process = Process.Start(psi);
    endpoint = $"127.0.0.1:{port}";
    for (var i = 0; i < 100 && !Answers(endpoint); i++) System.Threading.Thread.Sleep(50);
    return process is not null;
}

static string FindExamples()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "examples", "demo.ps1");
        if (File.Exists(candidate)) return Path.GetDirectoryName(candidate)!;
    }
    throw new FileNotFoundException("examples/demo.ps1 not found above " + AppContext.BaseDirectory);
}
