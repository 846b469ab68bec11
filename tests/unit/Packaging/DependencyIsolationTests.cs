using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Packaging;

/// <summary>
/// The published module (dotnet publish: the isolated layout) in the real local pwsh, beside another module
/// built on an older StackExchange.Redis (tests/OldRedisModule, 2.8.16), against a real redis-server.
/// </summary>
public sealed class DependencyIsolationTests : IClassFixture<DependencyIsolationTests.PublishedModule>
{
    private readonly PublishedModule published;

    public DependencyIsolationTests(PublishedModule published) => this.published = published;

    [Theory]
    [InlineData("OldFirst")]
    [InlineData("RedisComponentsFirst")]
    public void BothModulesWorkInOneSessionEachOnItsOwnStackExchangeRedis(string order)
    {
        var tag = "alc" + Guid.NewGuid().ToString("N")[..8];
        var run = published.Pwsh(UseBothScript, published.Manifest, published.OldModule, published.Redis.Endpoint, order, tag);
        Assert.True(run.ExitCode == 0 && run.Error.Trim().Length == 0, run.All);
        var lines = Lines(run);

        Assert.Contains("RC first", lines);
        Assert.Contains("RC second", lines);
        Assert.Equal(2, lines.Count(l => l == "CFG " + tag));
        var old = lines.Where(l => l.StartsWith("OLD ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, old.Count);
        Assert.All(old, l => Assert.StartsWith("OLD 2.8.16 ", l));
        Assert.EndsWith(" second", old[^1]); // the old module reads what this one wrote: one Redis, two clients
        // Two StackExchange.Redis in the process: this module's in its own context, the other module's in the default one.
        Assert.Equal(new[] { $"SER {EngineRedisVersion} RedisComponents", "SER 2.8.16 Default" }.OrderBy(l => l),
            lines.Where(l => l.StartsWith("SER ", StringComparison.Ordinal)).OrderBy(l => l));
    }

    [Fact]
    public void WithoutIsolationTheOldModuleBreaksThisOne()
    {
        // The control: the same engine imported the pre-isolation way (flat, into the default context) after the
        // old module fails, so the test above would fail if the isolation did not work.
        var tag = "alc" + Guid.NewGuid().ToString("N")[..8];
        var run = published.Pwsh(UseBothScript, published.FlatManifest, published.OldModule, published.Redis.Endpoint, "OldFirst", tag);
        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain("RC first", Lines(run));
        Assert.Contains("StackExchange.Redis", run.Error);
    }

    [Fact]
    public void TheIsolatedModuleIsOneModuleOfCmdletsWithHelpViewsCompletionAndOneEnginePerProcess()
    {
        var run = published.Pwsh(InspectScript, published.Manifest, published.Redis.Endpoint);
        Assert.True(run.ExitCode == 0 && run.Error.Trim().Length == 0, run.All);
        var lines = Lines(run);
        string Value(string key) => lines.Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];

        Assert.Equal("RedisComponents", Value("CTX"));
        Assert.Equal(Path.Combine(published.Directory, "dependencies", "RedisComponents.PowerShell.dll"), Value("LOC"));
        Assert.Equal(string.Join(",", ModuleManifest.ExportedCmdlets.OrderBy(c => c, StringComparer.OrdinalIgnoreCase)), Value("CMDS"));
        Assert.False(string.IsNullOrWhiteSpace(Value("HELP")));
        Assert.Equal("RecentLogEntry", Value("OUT"));
        Assert.Equal("True", Value("VIEW"));
        Assert.Equal("Set-RedisComponentConfig", Value("COMPLETE"));
        Assert.Equal("-Severity", Value("COMPLETEPARAM"));
        Assert.Equal("True", Value("SAME")); // Remove-Module + Import-Module: the same engine
        Assert.Equal(ModuleManifest.ExportedCmdlets.Length.ToString(), Value("FORCE")); // Import-Module -Force: every cmdlet again
        Assert.Equal("RedisComponents.Logging.RecentLogEntry", Value("LIT")); // type literals resolve the engine's types
        Assert.Contains("Message", Value("TABLE")); // typed output still picks its table view
        Assert.DoesNotContain(":", Value("TABLE"));
        Assert.Equal("True", Value("ROW"));
        Assert.Equal("0", Value("PARALLEL")); // ForEach-Object -Parallel runspaces: the same engine
        Assert.Equal("3", Value("PARALLELUSE")); // ...and each of them used it
        Assert.Equal("1", Value("CONTEXTS"));
        // One Resolving handler on the default context while the module is imported, however many imports and
        // runspaces, and none once every runspace that imported it removed it or was closed (issue 13).
        var handlers = Value("HANDLERS").Split(' ');
        Assert.Equal(int.Parse(handlers[0]) + 1, int.Parse(handlers[1]));
        Assert.Equal(handlers[0], Value("HANDLERSAFTERREMOVE"));
        Assert.Equal("RedisComponents.Loader", Value("DEFAULT")); // all the default context got from the module folder
        Assert.Equal("PONG", Value("USE"));
        Assert.True(int.Parse(Value("CLIENTSBEFORE")) > 1, "the module held no connection before Remove-Module");
        Assert.Equal("1", Value("CLIENTSAFTER"));
    }

    private static string EngineRedisVersion =>
        typeof(StackExchange.Redis.ConnectionMultiplexer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private static List<string> Lines(ProcessResult run) =>
        run.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    private const string UseBothScript = """
        param([string] $RedisComponents, [string] $OldModule, [string] $Endpoint, [string] $Order, [string] $Tag)
        $ErrorActionPreference = 'Stop'
        function Use-Old {
            Import-Module $OldModule
            $head = Get-OldRedisListHead $Endpoint "recent:${Tag}:info"
            "OLD $($head.StackExchangeRedisVersion) $($head.Value)"
        }
        function Use-RedisComponents([string] $Message) {
            Import-Module $RedisComponents
            Connect-RedisConfigServer $Endpoint -RefreshSeconds 0
            Set-RedisComponentConfig -Component $Tag -ConnectionString $Endpoint
            'CFG ' + (Get-RedisComponentConfig -Component $Tag).Component
            Write-RedisRecentLog -Component $Tag -Name $Tag -Message $Message
            'RC ' + (Get-RedisRecentLog -Component $Tag -Name $Tag | Select-Object -First 1).Message
        }
        if ($Order -eq 'OldFirst') { Use-Old; Use-RedisComponents 'first' } else { Use-RedisComponents 'first'; Use-Old }
        Use-RedisComponents 'second'
        Use-Old
        foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
            if ($a.GetName().Name -ne 'StackExchange.Redis') { continue }
            $version = $a.GetCustomAttributes([Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion.Split('+')[0]
            "SER $version $([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).Name)"
        }
        """;

    private const string InspectScript = """
        param([string] $RedisComponents, [string] $Endpoint)
        $ErrorActionPreference = 'Stop'
        function Get-ResolvingHandlerCount {
            $field = [Runtime.Loader.AssemblyLoadContext].GetField('_resolving', [Reflection.BindingFlags]'NonPublic,Instance')
            if (-not $field) { return 'no _resolving field' }
            $handlers = $field.GetValue([Runtime.Loader.AssemblyLoadContext]::Default)
            if ($handlers) { $handlers.GetInvocationList().Count } else { 0 }
        }
        $handlersBefore = Get-ResolvingHandlerCount
        Import-Module $RedisComponents
        $engine = (Get-Command Set-RedisComponentConfig).ImplementingType.Assembly
        'CTX ' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name
        'LOC ' + $engine.Location
        'CMDS ' + (((Get-Command -Module RedisComponents -CommandType Cmdlet).Name | Sort-Object) -join ',')
        'HELP ' + (Get-Help Set-RedisComponentConfig).Synopsis
        'OUT ' + (Get-Command Get-RedisRecentLog).OutputType[0].Type.Name
        'VIEW ' + [bool](Get-FormatData -TypeName RedisComponents.Logging.RecentLogEntry)
        'COMPLETE ' + (TabExpansion2 -inputScript 'Set-RedisComponentCon' -cursorColumn 21).CompletionMatches[0].CompletionText
        'COMPLETEPARAM ' + (TabExpansion2 -inputScript 'Get-RedisRecentLog -Sever' -cursorColumn 25).CompletionMatches[0].CompletionText
        'LIT ' + [RedisComponents.Logging.RecentLogEntry].FullName
        Connect-RedisConfigServer $Endpoint -RefreshSeconds 0
        Remove-Module RedisComponents
        Import-Module $RedisComponents
        'SAME ' + [object]::ReferenceEquals($engine, (Get-Command Set-RedisComponentConfig).ImplementingType.Assembly)
        Import-Module $RedisComponents -Force
        'FORCE ' + @(Get-Command -Module RedisComponents -CommandType Cmdlet).Count
        Connect-RedisConfigServer $Endpoint -RefreshSeconds 0
        Set-RedisComponentConfig -Component inspect -ConnectionString $Endpoint
        'USE ' + $(if (Test-RedisComponent inspect -Quiet) { 'PONG' } else { 'no answer' })
        Write-RedisRecentLog -Component inspect -Name inspect -Message 'typed output'
        $table = (Get-RedisRecentLog -Component inspect -Name inspect | Out-String -Width 200).Split("`n") | Where-Object { $_.Trim() }
        'TABLE ' + $table[0].Trim()
        'ROW ' + [bool]($table | Where-Object { $_ -like '*typed output*' })
        # Several runspaces at once, each importing and using the module: one engine, one load context.
        $parallel = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:RedisComponents
            Connect-RedisConfigServer $using:Endpoint -RefreshSeconds 0
            Write-RedisRecentLog -Component inspect -Name parallel -Message "runspace $_"
            (Get-Command Set-RedisComponentConfig).ImplementingType.Assembly
        }
        'PARALLEL ' + @($parallel | Where-Object { -not [object]::ReferenceEquals($_, $engine) }).Count
        'PARALLELUSE ' + @(Get-RedisRecentLog -Component inspect -Name parallel).Count
        'HANDLERS ' + $handlersBefore + ' ' + (Get-ResolvingHandlerCount)
        Remove-Module RedisComponents
        'HANDLERSAFTERREMOVE ' + (Get-ResolvingHandlerCount)
        Import-Module $RedisComponents
        'CONTEXTS ' + @([Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'RedisComponents').Count
        $moduleDir = Split-Path -Parent $RedisComponents
        'DEFAULT ' + ((([Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { $_.Location -and $_.Location.StartsWith($moduleDir) }).GetName().Name | Sort-Object) -join ',')
        # Remove-Module runs the engine's OnRemove in its load context too: this process's connections close.
        $port = $Endpoint.Split(':')[-1]
        $clients = { @(redis-cli -p $port CLIENT LIST).Count } # redis-cli itself is one
        Connect-RedisConfigServer $Endpoint -RefreshSeconds 0
        $null = Test-RedisComponent inspect -Quiet
        'CLIENTSBEFORE ' + (& $clients)
        Remove-Module RedisComponents
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((& $clients) -gt 1 -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(50) }
        'CLIENTSAFTER ' + (& $clients)
        """;

    /// <summary>The module published once for these tests (isolated layout), its flat pre-isolation twin, a Redis.</summary>
    public sealed class PublishedModule : IDisposable
    {
        public PublishedModule()
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            Root = Path.Combine(Path.GetTempPath(), "redis-components-alc-" + Guid.NewGuid().ToString("N"));
            Directory = Path.Combine(Root, "RedisComponents");
            var publish = ChildProcess.Run("dotnet",
                new[] { "publish", Path.Combine(RepositoryRoot.Path, "src", "RedisComponents.PowerShell"), "-c", configuration, "--no-build", "-o", Directory },
                TimeSpan.FromMinutes(2));
            if (publish.ExitCode != 0) throw new InvalidOperationException("dotnet publish failed: " + publish.All);

            // The pre-isolation layout: the engine and its dependencies flat, the manifest's root the engine dll.
            var flat = Path.Combine(Root, "Flat", "RedisComponents");
            System.IO.Directory.CreateDirectory(flat);
            foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "dependencies"))) File.Copy(file, Path.Combine(flat, Path.GetFileName(file)));
            File.Copy(Path.Combine(Directory, "RedisComponents.format.ps1xml"), Path.Combine(flat, "RedisComponents.format.ps1xml"));
            FlatManifest = Path.Combine(flat, "RedisComponents.psd1");
            File.WriteAllText(FlatManifest, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Manifest), @"NestedModules\s*=\s*@\([^)]*\)", "RootModule = 'RedisComponents.PowerShell.dll'"));

            OldModule = Path.Combine(RepositoryRoot.Path, "tests", "OldRedisModule", "bin", configuration, "net8.0", "OldRedisModule.dll");
            if (!File.Exists(OldModule)) throw new InvalidOperationException($"{OldModule} is not built: build tests/unit (it builds tests/OldRedisModule).");
            Redis = TestRedis.StartOwned();
        }

        public string Root { get; }
        public string Directory { get; }
        public string Manifest => Path.Combine(Directory, "RedisComponents.psd1");
        public string FlatManifest { get; }
        public string OldModule { get; }
        public RedisServer Redis { get; }

        /// <summary>Runs a script file in a fresh local pwsh (the repository's dotnet tool).</summary>
        public ProcessResult Pwsh(string script, params string[] arguments)
        {
            var file = Path.Combine(Root, Guid.NewGuid().ToString("N") + ".ps1");
            File.WriteAllText(file, script);
            return ChildProcess.Run("dotnet", new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", file }.Concat(arguments),
                TimeSpan.FromMinutes(2), workingDirectory: RepositoryRoot.Path,
                environment: new Dictionary<string, string> { ["POWERSHELL_TELEMETRY_OPTOUT"] = "1", ["POWERSHELL_UPDATECHECK"] = "Off", ["NO_COLOR"] = "1" });
        }

        public void Dispose()
        {
            Redis.Dispose();
            if (System.IO.Directory.Exists(Root)) System.IO.Directory.Delete(Root, recursive: true);
        }
    }
}
