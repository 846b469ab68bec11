<#
.SYNOPSIS
    P9a/b/c: piped writers on a 3-primary Redis Cluster vs the single server Run-Bench.ps1 started, same pwsh.
.DESCRIPTION
    Starts its own 3-primary cluster (redis-server --cluster-enabled yes, redis-cli --cluster create, no
    replicas) on free loopback ports, one component on it (one node named: the module discovers the rest)
    and one on -RedisEndpoint. Rows, in items/s (module = cluster, baseline = single server, ratio
    cluster/single, higher is better):
    P9a: $Count messages over 100 log names piped into Write-RedisRecentLog (batches split per key).
    P9b: $Count names over 1000 counters piped into Update-RedisCounter (a known: script, then one sample script per node and 210 slots, with batch tokens).
    P9c: $Count/10 messages over 20 logs piped into Write-RedisCommonLog (cluster: one rotation script per log and hour, all sent at once; single server: guarded transactions).
    The cluster is killed and its directories removed at the end. Uses db 0 on the cluster, db 12 on the server.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $RedisEndpoint,
    [int] $Count = 100000,
    [int] $Repeats = 3
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest

function Get-FreeClusterPorts {
    $random = [System.Random]::new()
    while ($true) {
        $first = $random.Next(20000, 55530)
        $ports = $first..($first + 2)
        $free = $true
        foreach ($p in ($ports + ($ports | ForEach-Object { $_ + 10000 }))) {
            try { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, $p); $l.Start(); $l.Stop() } catch { $free = $false }
        }
        if ($free) { return $ports }
    }
}

$ports = Get-FreeClusterPorts
$root = Join-Path ([IO.Path]::GetTempPath()) "rc-bench-cluster-$($ports[0])"
$nodes = @()
try {
    foreach ($port in $ports) {
        $dir = Join-Path $root "$port"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        $nodes += Start-Process -FilePath redis-server -PassThru -RedirectStandardOutput (Join-Path $dir 'out.log') -ArgumentList @(
            '--port', $port, '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', (Join-Path $dir 'nodes.conf'),
            '--cluster-node-timeout', '2000', '--save', '""', '--appendonly', 'no', '--dir', $dir)
    }
    foreach ($port in $ports) {
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((& redis-cli -p $port PING 2>$null) -ne 'PONG') {
            if ([DateTime]::UtcNow -gt $deadline) { throw "cluster node $port did not start" }
            [Threading.Thread]::Sleep(20)
        }
    }
    $null = & redis-cli --cluster create ($ports | ForEach-Object { "127.0.0.1:$_" }) --cluster-replicas 0 --cluster-yes
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (@($ports | Where-Object { (& redis-cli -p $_ CLUSTER INFO) -match 'cluster_state:ok' }).Count -lt 3) {
        if ([DateTime]::UtcNow -gt $deadline) { throw 'the bench cluster did not reach cluster_state:ok' }
        [Threading.Thread]::Sleep(50)
    }

    Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
    Set-RedisComponentConfig -Component bench-p9-cluster -Config @{ host = '127.0.0.1'; port = $ports[0] } -Confirm:$false
    Set-RedisComponentConfig -Component bench-p9-single -ConnectionString "$RedisEndpoint,defaultDatabase=12" -Confirm:$false
    if ((Get-RedisComponentConnection -Component bench-p9-cluster -ErrorAction SilentlyContinue).Deployment -ne 'Cluster') {
        Test-RedisComponent bench-p9-cluster | Out-Null
        if ((Get-RedisComponentConnection -Component bench-p9-cluster).Deployment -ne 'Cluster') { throw 'the cluster component was not detected as a cluster' }
    }

    $logs = [object[]]::new($Count)
    for ($i = 0; $i -lt $Count; $i++) { $logs[$i] = [pscustomobject]@{ Name = "p9-$($i % 100)"; Message = "message $i" } }
    $counters = [string[]]::new($Count)
    for ($i = 0; $i -lt $Count; $i++) { $counters[$i] = "p9-$($i % 1000)" }
    $common = [object[]]::new([int]($Count / 10))
    for ($i = 0; $i -lt $common.Count; $i++) { $common[$i] = [pscustomobject]@{ Name = "p9-$($i % 20)"; Message = "m$($i % 50)" } }

    function Median($list) { ($list | Sort-Object)[[int][Math]::Floor($list.Count / 2)] }
    function Rate([int] $n, [scriptblock] $block) {
        $clock = [Diagnostics.Stopwatch]::StartNew(); & $block; $clock.Stop(); $n / $clock.Elapsed.TotalSeconds
    }
    $rates = @{}
    foreach ($k in 'ra', 'rb', 'ca', 'cb', 'la', 'lb') { $rates[$k] = [Collections.Generic.List[double]]::new() }
    for ($r = -1; $r -lt $Repeats; $r++) {   # round -1 warms both sides up
        $ra = Rate $Count { $logs | Write-RedisRecentLog -Component bench-p9-cluster }
        $rb = Rate $Count { $logs | Write-RedisRecentLog -Component bench-p9-single }
        $ca = Rate $Count { $counters | Update-RedisCounter -Component bench-p9-cluster }
        $cb = Rate $Count { $counters | Update-RedisCounter -Component bench-p9-single }
        $la = Rate $common.Count { $common | Write-RedisCommonLog -Component bench-p9-cluster }
        $lb = Rate $common.Count { $common | Write-RedisCommonLog -Component bench-p9-single }
        if ($r -lt 0) { continue }
        $rates.ra.Add($ra); $rates.rb.Add($rb); $rates.ca.Add($ca); $rates.cb.Add($cb); $rates.la.Add($la); $rates.lb.Add($lb)
    }
    $row = { param($id, $scenario, $m, $b) [ordered]@{ id = $id; scenario = $scenario; module = [Math]::Round($m); baseline = [Math]::Round($b); unit = 'items/s'; ratio = [Math]::Round($m / $b, 3); goal = 'report' } | ConvertTo-Json -Compress }
    & $row 'P9a' "$Count messages over 100 logs piped into Write-RedisRecentLog: 3-primary cluster vs single server" (Median $rates.ra) (Median $rates.rb)
    & $row 'P9b' "$Count names over 1000 counters piped into Update-RedisCounter: cluster vs single server" (Median $rates.ca) (Median $rates.cb)
    & $row 'P9c' "$($common.Count) messages over 20 logs piped into Write-RedisCommonLog: cluster vs single server" (Median $rates.la) (Median $rates.lb)
}
finally {
    foreach ($n in $nodes) { try { $n.Kill($true) } catch { } }
    foreach ($c in 'bench-p9-cluster', 'bench-p9-single') { Remove-RedisComponentConfig -Component $c -Confirm:$false -ErrorAction SilentlyContinue }
    Disconnect-RedisComponent
    & redis-cli -h $RedisEndpoint.Split(':')[0] -p $RedisEndpoint.Split(':')[1] -n 12 FLUSHDB | Out-Null
    Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue
}
