<#
.SYNOPSIS
Counts the commands a connect sends (INFO commandstats of a fresh redis-server) for the module and for
StackExchange.Redis with the options the module used before least privilege (default command map,
configuration channel, CLIENT SETNAME, no tie-breaker) — issue 9's "handshake commands per connect".
.EXAMPLE
dotnet pwsh -NoProfile -File bench/handshake/Measure-Handshake.ps1 -ModuleManifest tests/unit/bin/Release/net10.0/RedisComponents.psd1 -Runs 3
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
$ModuleManifest = (Resolve-Path $ModuleManifest).Path
Import-Module $ModuleManifest
$dll = Join-Path (Split-Path $ModuleManifest) 'StackExchange.Redis.dll'
Add-Type -Path $dll -ErrorAction SilentlyContinue

function Start-Fresh {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
    $p = Start-Process redis-server -ArgumentList @('--port', $port, '--bind', '127.0.0.1', '--save', '""', '--appendonly', 'no') -PassThru -RedirectStandardOutput /dev/null
    for ($i = 0; $i -lt 200; $i++) { if ((& redis-cli -p $port PING 2>$null) -eq 'PONG') { break }; Start-Sleep -Milliseconds 25 }
    & redis-cli -p $port CONFIG RESETSTAT | Out-Null
    [pscustomobject]@{ Port = $port; Process = $p }
}
function Get-Calls($port) {
    $stats = & redis-cli -p $port INFO commandstats | Where-Object { $_ -like 'cmdstat_*' }
    $h = [ordered]@{}
    foreach ($line in $stats) {
        if ($line -match '^cmdstat_([^:]+):calls=(\d+)') { $h[$Matches[1]] = [int]$Matches[2] }
    }
    # The measuring redis-cli's own INFO is not part of the connect.
    foreach ($own in 'info', 'config|resetstat') { if ($h.Contains($own)) { $h[$own]--; if ($h[$own] -eq 0) { $h.Remove($own) } } }
    $h
}
function Measure-One([scriptblock] $connect) {
    $s = Start-Fresh
    try {
        & $connect $s.Port
        Start-Sleep -Milliseconds 300
        $calls = Get-Calls $s.Port
        [pscustomobject]@{ Total = ($calls.Values | Measure-Object -Sum).Sum; Commands = ($calls.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' ' }
    } finally { Stop-Process -Id $s.Process.Id -Force }
}

$before = {
    param($port)
    $o = [StackExchange.Redis.ConfigurationOptions]::new()
    $o.EndPoints.Add('127.0.0.1', $port); $o.AbortOnConnectFail = $false; $o.ConnectRetry = 1; $o.TieBreaker = ''; $o.ClientName = 'RedisComponents'
    $m = [StackExchange.Redis.ConnectionMultiplexer]::Connect($o)
    $null = $m.GetDatabase().Ping()
    $m.Dispose()
}
$configServer = Start-Fresh
$after = {
    param($port)
    $cs = "127.0.0.1:$($configServer.Port)"
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-RedisConfigServer '$cs' -RefreshSeconds 0; Set-RedisComponentConfig -Component hs$port -Config @{ host = '127.0.0.1'; port = $port }; Test-RedisComponent hs$port -Quiet; Disconnect-RedisComponent")
    $null = $ps.Invoke()
    foreach ($e in $ps.Streams.Error) { Write-Warning "after: $e" }
    $ps.Dispose()
}
try {
    $rows = foreach ($run in 1..$Runs) {
        $b = Measure-One $before; $a = Measure-One $after
        [pscustomobject]@{ Run = $run; BeforeTotal = $b.Total; Before = $b.Commands; AfterTotal = $a.Total; After = $a.Commands }
    }
    $rows | Format-List
    "load: $(Get-Content /proc/loadavg)"
} finally { Stop-Process -Id $configServer.Process.Id -Force }
