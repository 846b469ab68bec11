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

# A 3-primary Redis Cluster on loopback (no replicas, for speed): redis-server with cluster-enabled in its own
# directories, created with redis-cli --cluster create. Returns an object with Ports, Processes, Directory; stop
# it with Stop-TestRedisCluster. Ports stay at most 55535 (the cluster bus is port + 10000).
function Start-TestRedisCluster {
    $exe = (Get-Command redis-server -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    $cli = (Get-Command redis-cli -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $exe -or -not $cli) { throw 'A test cluster needs redis-server and redis-cli on PATH (apt-get install -y redis-server).' }
    $random = [System.Random]::new()
    while ($true) {
        # Node and bus ports below the kernel's ephemeral range (32768 on), where the other test servers' ports come from.
        $first = $random.Next(20000, 22755)
        $ports = $first..($first + 2)
        $free = $true
        foreach ($p in ($ports + ($ports | ForEach-Object { $_ + 10000 }))) {
            try { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $p); $l.Start(); $l.Stop() } catch { $free = $false }
        }
        if ($free) { break }
    }
    $root = Join-Path ([System.IO.Path]::GetTempPath()) "redis-components-tests/pester-cluster-$first"
    $processes = foreach ($port in $ports) {
        $dir = Join-Path $root "$port"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
        foreach ($a in '--port', "$port", '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', (Join-Path $dir 'nodes.conf'),
                '--cluster-node-timeout', '2000', '--save', '', '--appendonly', 'no', '--dir', $dir, '--logfile', (Join-Path $dir 'redis.log')) {
            $psi.ArgumentList.Add($a)
        }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        [System.Diagnostics.Process]::Start($psi)
    }
    $cluster = [pscustomobject]@{ Ports = $ports; Processes = @($processes); Directory = $root }
    try {
        foreach ($port in $ports) {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ((& $cli -p $port PING) -ne 'PONG') {
                if ([DateTime]::UtcNow -gt $deadline) { throw "cluster node $port did not start" }
                [System.Threading.Thread]::Sleep(20)
            }
        }
        $out = & $cli --cluster create ($ports | ForEach-Object { "127.0.0.1:$_" }) --cluster-replicas 0 --cluster-yes 2>&1
        if ($LASTEXITCODE -ne 0) { throw "redis-cli --cluster create failed: $out" }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($true) {
            $ok = @($ports | Where-Object { (& $cli -p $_ CLUSTER INFO) -match 'cluster_state:ok' -and (& $cli -p $_ CLUSTER INFO) -match 'cluster_known_nodes:3' }).Count -eq 3
            if ($ok) { break }
            if ([DateTime]::UtcNow -gt $deadline) { throw 'the test cluster did not reach cluster_state:ok' }
            [System.Threading.Thread]::Sleep(50)
        }
    }
    catch {
        Stop-TestRedisCluster $cluster
        throw
    }
    $cluster
}

function Stop-TestRedisCluster {
    param($Cluster)
    if (-not $Cluster) { return }
    foreach ($p in $Cluster.Processes) {
        try { $p.Kill($true); $p.WaitForExit(5000) | Out-Null } catch { }
    }
    Remove-Item -Recurse -Force -Path $Cluster.Directory -ErrorAction SilentlyContinue
}

# The port of the primary that serves a key now (CLUSTER KEYSLOT + CLUSTER NODES).
function Get-TestClusterPort {
    param($Cluster, [string] $Key)
    $slot = [int](& redis-cli -p $Cluster.Ports[0] CLUSTER KEYSLOT $Key)
    foreach ($line in (& redis-cli -p $Cluster.Ports[0] CLUSTER NODES)) {
        $f = $line.Trim() -split ' '
        if ($f.Count -le 8 -or $f[2] -notmatch 'master') { continue }
        foreach ($range in $f[8..($f.Count - 1)]) {
            $ends = $range -split '-'
            $lo = [int]$ends[0]; $hi = if ($ends.Count -gt 1) { [int]$ends[1] } else { $lo }
            if ($slot -ge $lo -and $slot -le $hi) { return [int](($f[1] -split '@')[0] -split ':')[1] }
        }
    }
}

# redis-cli -c (follows redirections) against the test cluster.
function Invoke-TestClusterCli {
    param($Cluster)
    & redis-cli -c -p $Cluster.Ports[0] @args
}
