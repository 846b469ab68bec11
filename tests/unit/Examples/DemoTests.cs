using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Examples;

/// <summary>Tests that publish the module project (one at a time: they write its build output).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishCollection
{
    public const string Name = "Publish";
}

/// <summary>
/// README's first command (between the demo-command markers) restores the local pwsh, builds the module and
/// runs examples/demo.ps1 in that pwsh: its output must be the module's tables, not a renderer's lines.
/// </summary>
[Collection(PublishCollection.Name)]
public sealed class DemoTests : IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    /// <summary>The one command line between the markers, as .ci/run reads the test command.</summary>
    public static string ReadmeCommand(string marker)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = Array.IndexOf(lines, $"<!-- {marker} -->");
        var end = Array.IndexOf(lines, $"<!-- /{marker} -->");
        Assert.True(start >= 0 && end > start, $"README.md has no <!-- {marker} --> block");
        return Assert.Single(lines[(start + 1)..end], l => l.Length > 0 && !l.StartsWith('`'));
    }

    [Fact]
    public void ReadmeDemoCommandPrintsTheModulesViews()
    {
        var command = ReadmeCommand("demo-command");
        Assert.Contains("dotnet tool restore", command); // works on a fresh machine: the local pwsh first
        Assert.Contains("-Task Demo", command);
        var shell = OperatingSystem.IsWindows() ? ("cmd", "/c") : ("/bin/sh", "-c");
        var run = ChildProcess.Run(shell.Item1, new[] { shell.Item2, command }, TimeSpan.FromMinutes(5), RepositoryRoot.Path,
            new Dictionary<string, string> { ["REDIS_COMPONENTS_CONFIG_SERVER"] = server.Endpoint });
        Assert.True(run.ExitCode == 0, run.All);
        var output = run.Output;

        // Every section is a table of the module's views: headers are property names, in the view's order.
        foreach (var header in new[]
        {
            @"Endpoint\s+Database\s+RefreshSeconds\s+IsConnected",
            @"Component\s+Type\s+Host\s+Port\s+Database\s+HasPassword\s+IsValid\s+Problem",
            @"Component\s+Reachable\s+LatencyMs\s+Endpoint\s+Error",
            @"Component\s+Endpoint\s+Database\s+Deployment\s+NodeCount\s+IsConnected\s+ConfigReadAt\s+ConnectedAt",
            @"Time\s+Name\s+Severity\s+Message",
            @"Count\s+Name\s+Severity\s+Hour\s+Message",
            @"Precisions\s+NewestTime\s+NewestCount\s+Name",
            @"Time\s+Timestamp\s+Precision\s+Count\s+Name",
            @"Count\s+Average\s+StdDev\s+Min\s+Max\s+Type\s+Context",
            @"Rank\s+AverageMilliseconds\s+Context",
            @"Format\s+Imported\s+Skipped\s+Malformed\s+RowsPerSecond\s+Elapsed\s+Path",
            @"IPAddress\s+CityId\s+Country\s+Region\s+City",
        })
        {
            Assert.Matches(new Regex(@"^\s*" + header + @"\s*\r?$\n^[- ]+\r?$", RegexOptions.Multiline), output);
        }
        // Rows with the demo's data, rounded where the view rounds.
        Assert.Matches(new Regex(@"^demo-logs\s+redis\s+127\.0\.0\.1\s+" + server.Port + @"\s+15 False\s+True", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^\s+2 demo\s+Warning\s+\d{4}-\d\d-\d\d \d\d:00 disk almost full", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^\s+4\s+38\.5\s+40\.369\s+7\s+95 Milliseconds checkout", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^1\.0\.7\.200\s+\d+ US\s+DC\s+Washington, D\.C\.", RegexOptions.Multiline), output);
        Assert.Contains("under maintenance: True", output);
        Assert.Contains("under maintenance: False", output);
        // No object rendered as a list or as "Type: Name=value" lines, no ANSI codes in redirected output,
        // and the tables take the demo's width (120, not the 80 of a redirected host: the
        // connection header above is one line) when the output is not a console.
        Assert.DoesNotMatch(new Regex(@"^\w+\s+: ", RegexOptions.Multiline), output);
        Assert.DoesNotContain("ComponentConfigInfo:", output);
        Assert.DoesNotContain("\x1b[", output);
        var demo = output[output.IndexOf("\n== ", StringComparison.Ordinal)..]; // after dotnet's build lines
        Assert.All(demo.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 120, l));

        // The data went to database 15, leaving database 0 to the config keys.
        Assert.Equal("{\"host\": \"127.0.0.1\", \"port\": " + server.Port + ", \"db\": 15}", (string?)server.Db().StringGet("config:redis:demo-logs"));
        Assert.True(server.Db(15).KeyExists("ip2cityid:"));
        Assert.False(server.Db(0).KeyExists("ip2cityid:"));
    }

    public void Dispose() => server.Dispose();
}
