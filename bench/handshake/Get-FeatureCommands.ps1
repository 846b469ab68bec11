<#
.SYNOPSIS
Lists the Redis commands each feature's cmdlets send (INFO commandstats of a fresh redis-server per feature,
run as the default user): the source of README's least-privilege ACL table.
#>
param([Parameter(Mandatory)] [string] $ModuleManifest, [string] $Examples = (Join-Path $PSScriptRoot '../../examples/data'))
$ErrorActionPreference = 'Stop'
$ModuleManifest = (Resolve-Path $ModuleManifest).Path
Import-Module $ModuleManifest
function Start-Fresh {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
    $p = Start-Process redis-server -ArgumentList @('--port', $port, '--bind', '127.0.0.1', '--save', '""', '--appendonly', 'no') -PassThru -RedirectStandardOutput /dev/null
    for ($i = 0; $i -lt 200; $i++) { if ((& redis-cli -p $port PING 2>$null) -eq 'PONG') { break }; Start-Sleep -Milliseconds 25 }
    [pscustomobject]@{ Port = $port; Process = $p }
}
$features = [ordered]@{
    'RecentLog'  = { Write-RedisRecentLog -Component f -Name n -Message a; 'b', 'c' | Write-RedisRecentLog -Component f -Name n; $null = Get-RedisRecentLog -Component f -Name n }
    'CommonLog'  = { Write-RedisCommonLog -Component f -Name n -Message a; 'b', 'c' | Write-RedisCommonLog -Component f -Name n; $null = Get-RedisCommonLog -Component f -Name n; $null = Get-RedisCommonLog -Component f -Name n -Previous }
    'Counters'   = { Update-RedisCounter -Component f -Name hits; 'a', 'b' | Update-RedisCounter -Component f; $null = Get-RedisCounter -Component f -Name hits -Precision 5; Invoke-RedisCounterCleanup -Component f }
    'Statistics' = { Update-RedisStatistic -Component f -Context c -Type t -Value 1; $null = Get-RedisStatistic -Component f -Context c -Type t }
    'AccessTime' = { $null = Measure-RedisAccessTime -Component f -Context c { 1 }; $null = Get-RedisAccessTime -Component f }
    'Geo'        = { Import-RedisIpBlock -Component f -Path (Join-Path $Examples 'GeoLiteCity-Blocks.csv'); Import-RedisCityLocation -Component f -Path (Join-Path $Examples 'GeoLiteCity-Location.csv'); $null = '8.8.8.8', '1.1.1.1' | Find-RedisCity -Component f -ErrorAction SilentlyContinue }
}
$cs = Start-Fresh
try {
    Connect-RedisConfigServer "127.0.0.1:$($cs.Port)" -RefreshSeconds 0
    foreach ($name in $features.Keys) {
        $s = Start-Fresh
        try {
            Set-RedisComponentConfig -Component f -Config @{ host = '127.0.0.1'; port = $s.Port }
            Disconnect-RedisComponent
            & $features[$name] 3>$null
            Disconnect-RedisComponent
            Start-Sleep -Milliseconds 200
            $cmds = & redis-cli -p $s.Port INFO commandstats | Where-Object { $_ -match '^cmdstat_([^:]+):' } | ForEach-Object { ($_ -split ':')[0] -replace '^cmdstat_' } | Where-Object { $_ -ne 'info' } | Sort-Object
            "${name}: $($cmds -join ' ')"
        } finally { Stop-Process -Id $s.Process.Id -Force }
    }
} finally { Stop-Process -Id $cs.Process.Id -Force }
