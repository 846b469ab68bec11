# Shared set-up for the Pester files: import the built module and find (or start) a Redis.
# Dot-source it in BeforeAll:  BeforeAll { . "$PSScriptRoot/TestHelpers.ps1"; Initialize-RedisComponentsTest }
# The Redis is $env:REDIS_COMPONENTS_TEST_REDIS (host:port) when set, else a redis-server from PATH on a
# free loopback port, stopped again by Stop-RedisComponentsTest in AfterAll.

function Initialize-RedisComponentsTest {
    [CmdletBinding()]
    param()
    $repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    # The built module folder; the xunit suite points this at its own build output instead.
    $manifest = if ($env:REDIS_COMPONENTS_TEST_MODULE) { $env:REDIS_COMPONENTS_TEST_MODULE } else { Join-Path $repositoryRoot 'out/RedisComponents/RedisComponents.psd1' }
    if (-not (Test-Path $manifest)) {
        throw "The module is not built: run ./build.ps1 -Task Build (or dotnet publish src/RedisComponents.PowerShell -c Release -o out/RedisComponents) first."
    }
    Import-Module $manifest -Force -ErrorAction Stop
    Import-RawStackExchangeRedis $manifest

    if ($env:REDIS_COMPONENTS_TEST_REDIS) {
        $script:TestRedisEndpoint = $env:REDIS_COMPONENTS_TEST_REDIS
        $script:TestRedisProcess = $null
    }
    else {
        $script:TestRedisProcess = Start-TestRedisServer
        $script:TestRedisEndpoint = "127.0.0.1:$($script:TestRedisProcess.Port)"
    }
    Connect-RedisConfigServer -Configuration $script:TestRedisEndpoint -RefreshSeconds 0
    $script:TestRedisEndpoint
}

# The tests' own StackExchange.Redis, for assertions that bypass the module. The module keeps its copy in its
# own load context (dependencies/, README "Layout"), where type literals such as
# [StackExchange.Redis.ConnectionMultiplexer] do not reach; this loads the shipped dll into the default one.
function Import-RawStackExchangeRedis([string] $Manifest) {
    if ('StackExchange.Redis.ConnectionMultiplexer' -as [type]) { return }
    $folder = Split-Path -Parent $Manifest
    $dll = Join-Path $folder 'dependencies/StackExchange.Redis.dll'
    if (-not (Test-Path $dll)) { $dll = Join-Path $folder 'StackExchange.Redis.dll' }
    Add-Type -Path $dll
}

function Stop-RedisComponentsTest {
    [CmdletBinding()]
    param()
    Disconnect-RedisComponent
    if ($script:TestRedisProcess) {
        $script:TestRedisProcess.Process.Kill($true)
        $script:TestRedisProcess.Process.WaitForExit(5000) | Out-Null
        $script:TestRedisProcess = $null
    }
}

function Start-TestRedisServer {
    $exe = (Get-Command redis-server -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $exe) {
        throw 'No Redis for the tests: set REDIS_COMPONENTS_TEST_REDIS=host:port or put redis-server on PATH (apt-get install -y redis-server).'
    }
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "redis-components-tests/pester-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null

    $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($a in '--port', "$port", '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', $dir, '--logfile', '') {
        $psi.ArgumentList.Add($a)
    }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($psi)

    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ([DateTime]::UtcNow -lt $deadline) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port)
            $client.Dispose()
            return [pscustomobject]@{ Process = $process; Port = $port }
        }
        catch { Start-Sleep -Milliseconds 50 }
    }
    $process.Kill($true)
    throw "redis-server did not start on port $port within 10 s."
}

function New-TestName {
    param([string] $Prefix = 'pester')
    "$Prefix-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
}

# A component configured to use the test Redis; returns its name.
function New-TestComponent {
    param([int] $Database = 0)
    $name = New-TestName 'component'
    Set-RedisComponentConfig -Component $name -ConnectionString "$script:TestRedisEndpoint,defaultDatabase=$Database"
    $name
}
