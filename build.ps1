#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the RedisComponents module.
.DESCRIPTION
    Every task is a thin wrapper over dotnet, so each step can also be run without pwsh:
      Build   : dotnet publish src/RedisComponents.PowerShell -c Release -o out/RedisComponents
      Test    : dotnet test tests/unit -c Release (which also runs tests/pester under pwsh), then
                Invoke-Pester -Path ./tests/pester -CI with this pwsh
      Package : Build, then a clean copy in out/package/RedisComponents checked with Test-ModuleManifest
                and for the isolated layout (only the loader in the root, the engine in dependencies/)
      Demo    : Build, import out/RedisComponents and run examples/demo.ps1 against
                $env:REDIS_COMPONENTS_CONFIG_SERVER, else localhost:6379, else a temporary redis-server
                (from PATH, on a free loopback port, stopped afterwards)
.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile ./build.ps1 -Task Demo
.EXAMPLE
    ./build.ps1 -Task Build
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleOut = Join-Path $root 'out/RedisComponents'

# A simple (not advanced) function on purpose: dotnet's own -o/-c must not bind to common parameters.
function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $root 'src/RedisComponents.PowerShell') -c $Configuration -o $moduleOut
    Write-Host "Module built: $moduleOut"
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'tests/unit') -c $Configuration
    Invoke-Build
    # An installed Pester 5, else the one the test project restores from NuGet.
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
        $restored = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/5.7.1/tools/Pester.psd1'
        if (-not (Test-Path $restored)) { throw 'Pester 5 is required: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser' }
        Import-Module $restored
    }
    $result = Invoke-Pester -Path (Join-Path $root 'tests/pester') -CI -PassThru
    if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
}

function Invoke-Package {
    Invoke-Build
    $package = Join-Path $root 'out/package/RedisComponents'
    if (Test-Path $package) { Remove-Item $package -Recurse -Force }
    New-Item -ItemType Directory -Path $package | Out-Null
    Copy-Item -Path (Join-Path $moduleOut '*') -Destination $package -Recurse
    $manifest = Test-ModuleManifest -Path (Join-Path $package 'RedisComponents.psd1')
    # Dependency isolation (README, Layout): the root's only assembly is the loader; the engine and its
    # dependencies sit in dependencies/, loaded into the module's own load context.
    $rootDlls = @(Get-ChildItem -Path $package -Filter *.dll -File | ForEach-Object Name)
    if ($rootDlls.Count -ne 1 -or $rootDlls[0] -ne 'RedisComponents.Loader.dll') { throw "The module root must hold only RedisComponents.Loader.dll, not: $($rootDlls -join ', ')" }
    foreach ($required in 'dependencies/RedisComponents.PowerShell.dll', 'dependencies/StackExchange.Redis.dll', 'en-US/RedisComponents.PowerShell.dll-Help.xml') {
        if (-not (Test-Path (Join-Path $package $required))) { throw "The package lacks $required." }
    }
    Write-Host "Package ready: $package (RedisComponents $($manifest.Version))"
}

# True when something accepts TCP connections at host:port within a second.
function Test-TcpEndpoint([string] $HostName, [int] $Port) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { return $client.ConnectAsync($HostName, $Port).Wait(1000) -and $client.Connected }
    catch { return $false }
    finally { $client.Dispose() }
}

# A throw-away redis-server on a free loopback port: no persistence, logs in the temp folder.
function Start-DemoRedis {
    $exe = (Get-Command redis-server -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $exe) {
        throw 'The demo needs a Redis: nothing answers at localhost:6379 and redis-server is not on PATH. Set $env:REDIS_COMPONENTS_CONFIG_SERVER=host:port, start a Redis on localhost:6379, or install redis-server.'
    }
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "redis-components-demo-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($a in '--port', "$port", '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', $dir, '--logfile', (Join-Path $dir 'redis.log')) {
        $psi.ArgumentList.Add($a)
    }
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Test-TcpEndpoint 127.0.0.1 $port)) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            throw "The temporary redis-server on port $port did not start; see $dir/redis.log."
        }
        [System.Threading.Thread]::Sleep(50)
    }
    [pscustomobject]@{ Process = $process; Endpoint = "127.0.0.1:$port"; Directory = $dir }
}

function Invoke-Demo {
    Invoke-Build
    $temporary = $null
    $configServer = $env:REDIS_COMPONENTS_CONFIG_SERVER
    if (-not $configServer) {
        $configServer = 'localhost:6379'
        if (-not (Test-TcpEndpoint localhost 6379)) {
            $temporary = Start-DemoRedis
            $configServer = $temporary.Endpoint
            Write-Host "(nothing answers at localhost:6379; started a temporary redis-server at $configServer)"
        }
    }
    try {
        Import-Module (Join-Path $moduleOut 'RedisComponents.psd1') -Force
        & (Join-Path $root 'examples/demo.ps1') -ConfigServer $configServer
    }
    finally {
        if (Get-Module RedisComponents) { Disconnect-RedisComponent }
        if ($temporary) {
            $temporary.Process.Kill($true)
            $temporary.Process.WaitForExit(5000) | Out-Null
            Remove-Item $temporary.Directory -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
    }
}
