<#
.SYNOPSIS
    Runs the real-pwsh benchmark scenarios (bench/pwsh/P*.ps1) and prints median [min-max] per row as Markdown.
.DESCRIPTION
    Publishes the module (dotnet publish src/RedisComponents.PowerShell -c Release) unless -ModuleManifest
    names one already published (e.g. an older commit's, for before/after numbers), starts one redis-server
    on a free loopback port, and runs every scenario script matching -Filter in a FRESH
    `dotnet pwsh -NoProfile` process per run (run 1 of every scenario, then run 2, ...). Each scenario
    prints one JSON object per measured row; this script keys rows by scenario file and row order and
    prints, per row, the median and [min-max] over the runs of module, baseline and ratio, with the
    machine load (/proc/loadavg) before and after.
.EXAMPLE
    dotnet pwsh -NoProfile bench/pwsh/Run-Bench.ps1 -Runs 3 -Filter P3
#>
[CmdletBinding()]
param(
    [int] $Runs = 3,
    [string[]] $Filter = @(''),
    [string] $ModuleManifest,
    [string] $Label = 'this tree'
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$work = Join-Path ([IO.Path]::GetTempPath()) ('rc-bench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null

function Get-Load { (Get-Content /proc/loadavg -Raw).Trim() }

function Get-FreePort {
    $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p
}

function Format-Stat([double[]] $values, [string] $fmt) {
    if (-not $values -or $values.Count -eq 0) { return '' }
    $sorted = @($values | Sort-Object)
    $median = if ($sorted.Count % 2) { $sorted[($sorted.Count - 1) / 2] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
    '{0} [{1}–{2}]' -f $median.ToString($fmt, [cultureinfo]::InvariantCulture), $sorted[0].ToString($fmt, [cultureinfo]::InvariantCulture), $sorted[-1].ToString($fmt, [cultureinfo]::InvariantCulture)
}

$redis = $null
try {
    if (-not $ModuleManifest) {
        $out = Join-Path $work 'module'
        & dotnet publish (Join-Path $repo 'src/RedisComponents.PowerShell') -c Release -o $out --nologo -v q | Out-Host
        if ($LASTEXITCODE) { throw "dotnet publish failed ($LASTEXITCODE)." }
        $ModuleManifest = Join-Path $out 'RedisComponents.psd1'
        if (-not (Test-Path $ModuleManifest)) { Copy-Item (Join-Path $repo 'RedisComponents.psd1') $out; }
    }
    $ModuleManifest = (Resolve-Path $ModuleManifest).Path

    $port = Get-FreePort
    $redis = Start-Process -FilePath redis-server -PassThru -RedirectStandardOutput (Join-Path $work 'redis.log') -ArgumentList @(
        '--port', $port, '--bind', '127.0.0.1', '--save', '""', '--appendonly', 'no', '--dir', $work)
    $endpoint = "127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((& redis-cli -p $port PING 2>$null) -ne 'PONG') {
        if ([DateTime]::UtcNow -gt $deadline) { throw "redis-server did not answer on $endpoint." }
        Start-Sleep -Milliseconds 50
    }

    $scripts = @(Get-ChildItem (Join-Path $PSScriptRoot 'P*.ps1') | Where-Object { $n = $_.Name; @($Filter | Where-Object { $n -like "*$_*" }).Count -gt 0 } | Sort-Object Name)
    if (-not $scripts) { throw "No scenario matches '$($Filter -join "', '")'." }
    $rows = [ordered]@{}
    $loadBefore = Get-Load
    $started = [DateTime]::UtcNow
    for ($run = 1; $run -le $Runs; $run++) {
        foreach ($script in $scripts) {
            Write-Host "run $run/${Runs}: $($script.Name)"
            $lines = & dotnet pwsh -NoProfile -NonInteractive -File $script.FullName -ModuleManifest $ModuleManifest -RedisEndpoint $endpoint 2>&1
            $code = $LASTEXITCODE
            $i = 0
            foreach ($line in $lines) {
                $text = "$line".Trim()
                if (-not $text.StartsWith('{')) { if ($text) { Write-Host "  $text" }; continue }
                $row = $text | ConvertFrom-Json
                $key = '{0}#{1}' -f $script.Name, $i++
                if (-not $rows.Contains($key)) { $rows[$key] = [pscustomobject]@{ First = $row; Module = [Collections.Generic.List[double]]::new(); Baseline = [Collections.Generic.List[double]]::new(); Ratio = [Collections.Generic.List[double]]::new() } }
                if ($null -ne $row.module) { $rows[$key].Module.Add([double]$row.module) }
                if ($null -ne $row.baseline) { $rows[$key].Baseline.Add([double]$row.baseline) }
                if ($null -ne $row.ratio) { $rows[$key].Ratio.Add([double]$row.ratio) }
            }
            if ($code) { Write-Warning "$($script.Name) run $run exited with $code." }
        }
    }
    $loadAfter = Get-Load

    ''
    "Measured $($started.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture)) UTC ($Label; module $ModuleManifest), $Runs fresh ``dotnet pwsh -NoProfile`` runs per scenario, median [min–max]; /proc/loadavg before: $loadBefore, after: $loadAfter; $([Environment]::ProcessorCount) cores."
    ''
    '| id | scenario | module | baseline | unit | ratio | goal |'
    '|---|---|---|---|---|---|---|'
    foreach ($r in $rows.Values) {
        $fmt = if ($r.First.unit -match '/s$') { 'N0' } else { 'N1' }
        '| {0} | {1} | {2} | {3} | {4} | {5} | {6} |' -f $r.First.id, $r.First.scenario, (Format-Stat $r.Module $fmt), (Format-Stat $r.Baseline $fmt), $r.First.unit, (Format-Stat $r.Ratio 'N2'), $r.First.goal
    }
}
finally {
    if ($redis -and -not $redis.HasExited) { Stop-Process -Id $redis.Id -Force }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
