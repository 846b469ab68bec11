<#
.SYNOPSIS
    P10: the numbers of issue 10 (connection management under faults), measured against real faulted servers.
.DESCRIPTION
    Starts its own redis-servers on free loopback ports (a config server and component servers: they are killed,
    paused and black-holed, so the shared -RedisEndpoint is not touched) and measures, in this process, each row
    of the issue's table: a call on a component known down (kill -9), a 20,000-item pipeline into a dead server,
    calls on a known component while the config server is paused (CLIENT PAUSE ALL, -PauseSeconds), a healthy
    component's call while another component's resolution hangs (a TCP listener that never answers), Test-RedisComponent
    of three down components (1 s connect timeout), config-server-down errors on Get/Set-RedisComponentConfig, and
    the config GETs of `1..10000 | Write-RedisRecentLog` with -RefreshSeconds 0 (INFO commandstats).
    Writes one JSON object per row ("module" is the measured value; "baseline" the same call on a healthy server
    where there is one). Kills what it started, by PID.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $RedisEndpoint = '',
    [int] $PauseSeconds = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$started = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

function Get-FreePort {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start()
    $p = $l.LocalEndpoint.Port; $l.Stop(); $p
}
function Start-Redis([int] $Port) {
    $p = Start-Process redis-server -PassThru -ArgumentList @('--port', $Port, '--bind', '127.0.0.1', '--save', '""', '--appendonly', 'no',
        '--daemonize', 'no', '--protected-mode', 'no', '--logfile', '""', '--dir', [System.IO.Path]::GetTempPath())
    $started.Add($p)
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((& redis-cli -p $Port PING 2>$null) -ne 'PONG') { if ([DateTime]::UtcNow -gt $deadline) { throw "redis on $Port did not start" }; Start-Sleep -Milliseconds 20 }
    $p
}
function Stop-Redis($Process) { if (-not $Process.HasExited) { $Process.Kill(); $Process.WaitForExit(5000) | Out-Null } }
function Config([int] $Port, [double] $Timeout = 1) { "{""host"": ""127.0.0.1"", ""port"": $Port, ""socket_timeout"": $Timeout, ""socket_connect_timeout"": 1}" }
function Set-Config([int] $ConfigPort, [string] $Component, [string] $Json) { $null = & redis-cli -p $ConfigPort SET "config:redis:$Component" $Json }
function Measure-Ms([scriptblock] $Block) { $sw = [System.Diagnostics.Stopwatch]::StartNew(); $null = & $Block 2>$null 3>$null; $sw.Elapsed.TotalMilliseconds }
function Median([double[]] $Values) { $s = $Values | Sort-Object; $s[[int][Math]::Floor(($s.Count - 1) / 2)] }
function Percentile([double[]] $Values, [double] $P) { $s = $Values | Sort-Object; $s[[int][Math]::Min($s.Count - 1, [Math]::Ceiling($P * $s.Count) - 1)] }
function Emit($Scenario, $Module, $Baseline, $Unit, $Goal, $Ratio = $null) {
    [ordered]@{ id = 'P10'; scenario = $Scenario; module = [Math]::Round($Module, 2); baseline = $Baseline; unit = $Unit; ratio = $Ratio; goal = $Goal } | ConvertTo-Json -Compress
}

$configPort = Get-FreePort; $dataPort = Get-FreePort
$config = Start-Redis $configPort; $data = Start-Redis $dataPort
try {
    Connect-RedisConfigServer "127.0.0.1:$configPort" -RefreshSeconds 1
    Set-Config $configPort app (Config $dataPort 5)

    # 1. A call on a component known down (after the first failure).
    $downPort = Get-FreePort; $down = Start-Redis $downPort
    Set-Config $configPort down (Config $downPort)
    Write-RedisRecentLog -Component down -Name p10 -Message up
    $healthy = 1..20 | ForEach-Object { Measure-Ms { Write-RedisRecentLog -Component down -Name p10 -Message x } }
    Stop-Redis $down
    $null = Measure-Ms { Write-RedisRecentLog -Component down -Name p10 -Message first -ErrorAction SilentlyContinue }
    $known = 1..20 | ForEach-Object { Measure-Ms { Write-RedisRecentLog -Component down -Name p10 -Message x -ErrorAction SilentlyContinue } }
    Emit 'call on a component known down (kill -9), median of 20 calls after the first failure; baseline: same call while up' (Median $known) ([Math]::Round((Median $healthy), 2)) 'ms' '<= 100 ms'

    # 2. A 20,000-item pipeline into a dead server.
    $err = $null
    $ms = Measure-Ms { 1..20000 | ForEach-Object { "m$_" } | Write-RedisRecentLog -Component down -Name p10 -ErrorAction SilentlyContinue -ErrorVariable +script:err }
    $notWritten = ($err | ForEach-Object { if ($_.ErrorDetails.Message -match '^(\d+) \w+ for') { [int]$Matches[1] } else { 1 } } | Measure-Object -Sum).Sum
    Emit "20,000-item pipeline into a dead server ($($err.Count) errors, $notWritten items reported not written)" $ms $null 'ms' '<= first timeout (1 s) + 2 s'

    # 3. Calls on a known component while the config server is paused.
    Connect-RedisConfigServer "127.0.0.1:$configPort" -RefreshSeconds 0.05
    Write-RedisRecentLog -Component app -Name p10 -Message warm
    $before = 1..200 | ForEach-Object { Measure-Ms { Write-RedisRecentLog -Component app -Name p10 -Message x } }
    $null = & redis-cli -p $configPort CLIENT PAUSE ($PauseSeconds * 1000) ALL
    $pausedAt = [DateTime]::UtcNow; $during = [System.Collections.Generic.List[double]]::new()
    while (([DateTime]::UtcNow - $pausedAt).TotalSeconds -lt $PauseSeconds - 0.5) { $during.Add((Measure-Ms { Write-RedisRecentLog -Component app -Name p10 -Message x })) }
    Start-Sleep -Seconds 1
    Emit "calls on a known component while the config server is paused $PauseSeconds s: p99 ($($during.Count) calls; median $([Math]::Round((Median $during), 2)) ms); baseline: median before the pause" (Percentile $during 0.99) ([Math]::Round((Median $before), 2)) 'ms' 'p99 <= 300 ms, median unchanged'

    # 4. A healthy component's call while another component's resolution hangs (black hole, 30 s connect timeout).
    Connect-RedisConfigServer "127.0.0.1:$configPort" -RefreshSeconds 1
    $hole = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $hole.Start()
    Set-Config $configPort hung "{""host"": ""127.0.0.1"", ""port"": $($hole.LocalEndpoint.Port), ""socket_connect_timeout"": 30, ""socket_timeout"": 30}"
    $rs = [runspacefactory]::CreateRunspace(); $rs.Open()
    $ps = [powershell]::Create(); $ps.Runspace = $rs
    $null = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-RedisConfigServer 127.0.0.1:$configPort; Write-RedisRecentLog -Component app -Name p10 -Message warm").Invoke()
    $run = { param($n) $p = [powershell]::Create(); $p.Runspace = $rs; $null = $p.AddScript("1..$n | ForEach-Object { `$sw = [Diagnostics.Stopwatch]::StartNew(); Write-RedisRecentLog -Component app -Name p10 -Message x; `$sw.Elapsed.TotalMilliseconds }"); $r = $p.Invoke(); $p.Dispose(); $r }
    $calm = & $run 50
    $tab = [powershell]::Create(); $tab.Runspace = $rs; $null = $tab.AddScript('Write-RedisRecentLog -Component hung -Name p10 -Message x')
    $async = $tab.BeginInvoke(); Start-Sleep -Milliseconds 300; $tab.Stop() # a completer giving up: the resolution goes on in the background
    $hungCalls = & $run 50
    Emit 'a healthy component''s call while another component''s resolution hangs (median of 50, same session); baseline: median of 50 without' (Median $hungCalls) ([Math]::Round((Median $calm), 2)) 'ms' 'unchanged (<= 10 ms extra)' ([Math]::Round((Median $hungCalls) - (Median $calm), 2))
    $tab.Dispose(); $rs.Dispose()

    # 5. Test-RedisComponent a,b,c all down, 1 s connect timeout.
    Set-Config $configPort a (Config (Get-FreePort))
    Set-Config $configPort b (Config $hole.LocalEndpoint.Port)
    Set-Config $configPort c (Config $downPort)
    Disconnect-RedisComponent
    $ms = Measure-Ms { Test-RedisComponent a, b, c }
    Emit 'Test-RedisComponent a,b,c all down (refused, black hole, killed), first call' $ms $null 'ms' '<= 2000 ms'
    $hole.Stop()

    # 6. Config-server-down errors on Get/Set config.
    Connect-RedisConfigServer "127.0.0.1:$(Get-FreePort),connectTimeout=1000"
    $e1 = $null; $first = Measure-Ms { Get-RedisComponentConfig app -ErrorAction SilentlyContinue -ErrorVariable +script:e1 }
    $e2 = $null; $again = 1..10 | ForEach-Object { Measure-Ms { Get-RedisComponentConfig app -ErrorAction SilentlyContinue -ErrorVariable +script:e2 } }
    $e3 = $null; $set = 1..10 | ForEach-Object { Measure-Ms { Set-RedisComponentConfig -Component app -ConnectionString 'localhost:1' -ErrorAction SilentlyContinue -ErrorVariable +script:e3 } }
    $len = ($e2 + $e3 | ForEach-Object { $_.ErrorDetails.Message.Length } | Measure-Object -Maximum).Maximum
    Emit "config-server-down Get/Set-RedisComponentConfig once known down (median of 20; first call $([Math]::Round($first)) ms; ids $(($e2 + $e3 | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object -Unique) -join ','); longest message $len chars)" (Median ($again + $set)) $null 'ms' '<= 200 ms, one clear sentence'

    # 7. -RefreshSeconds 0: config GETs of a 10,000-item pipeline.
    Connect-RedisConfigServer "127.0.0.1:$configPort" -RefreshSeconds 0
    $null = & redis-cli -p $configPort CONFIG RESETSTAT
    1..10000 | ForEach-Object { "m$_" } | Write-RedisRecentLog -Component app -Name p10
    $gets = [long]((& redis-cli -p $configPort INFO commandstats | Select-String 'cmdstat_get:calls=(\d+)').Matches[0].Groups[1].Value)
    Emit '1..10000 | Write-RedisRecentLog with -RefreshSeconds 0: config GETs (INFO commandstats)' $gets $null 'GETs' '1 GET'
}
finally {
    foreach ($p in $started) { Stop-Redis $p }
}
