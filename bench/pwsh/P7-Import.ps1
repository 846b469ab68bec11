#Requires -Version 7.4
<#
.SYNOPSIS
    P7 (issue 14): Import-Module of the published module in a fresh pwsh, median of 20 fresh processes.
.DESCRIPTION
    Starts -Count fresh `pwsh -NoProfile` processes (the same pwsh as this one: the repository's local tool)
    for each of four kinds, interleaved and in a rotating order so load changes hit all kinds alike:
      module  : Import-Module of the manifest given (the isolated layout: RedisComponents.psm1 loads the
                engine and StackExchange.Redis & co. from dependencies/ into the module's own load context);
      flat    : the same engine, format file and cmdlets imported the pre-isolation way, a plain binary
                RootModule in the default load context (a manifest written into a temporary copy of
                dependencies/) - the ratio module/flat is the cost of the isolation;
      trivial : a one-function script module - what any Import-Module costs in a fresh pwsh;
      empty   : no import at all (for the process wall time only).
    Each process times its own Import-Module with a Stopwatch (process start-up is not counted) and the
    caller times the whole process. Rows (one JSON object each, the Run-Bench.ps1 contract): module vs flat
    and module vs trivial (in-process import, ms, goal <= 90 ms), and fresh pwsh + import vs an empty pwsh
    start (process wall time, ms). Per-kind median [min-max] of this run go to the host.
    Needs no Redis; -RedisEndpoint is accepted for the runner's contract.
.EXAMPLE
    dotnet pwsh -NoProfile bench/pwsh/P7-Import.ps1 -ModuleManifest out/RedisComponents/RedisComponents.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $RedisEndpoint,
    [int] $Count = 20
)
$ErrorActionPreference = 'Stop'
$ModuleManifest = (Resolve-Path $ModuleManifest).Path
$moduleDir = Split-Path -Parent $ModuleManifest
$dependencies = Join-Path $moduleDir 'dependencies'
if (-not (Test-Path (Join-Path $dependencies 'RedisComponents.PowerShell.dll'))) { throw "No dependencies/RedisComponents.PowerShell.dll beside ${ModuleManifest}: pass the published module's manifest." }

$work = Join-Path ([IO.Path]::GetTempPath()) ('rc-p7-' + [guid]::NewGuid().ToString('N'))
try {
    # The pre-isolation twin: the engine flat, its manifest pointing straight at the dll.
    $flat = Join-Path $work 'RedisComponents'
    New-Item -ItemType Directory -Path $flat | Out-Null
    Copy-Item (Join-Path $dependencies '*') $flat
    Copy-Item (Join-Path $moduleDir 'RedisComponents.format.ps1xml') $flat
    $manifestText = (Get-Content -Raw $ModuleManifest) -replace "RootModule\s*=\s*'[^']*'", "RootModule = 'RedisComponents.PowerShell.dll'"
    Set-Content -Path (Join-Path $flat 'RedisComponents.psd1') -Value $manifestText
    # The trivial script module.
    $trivial = Join-Path $work 'Trivial'
    New-Item -ItemType Directory -Path $trivial | Out-Null
    Set-Content -Path (Join-Path $trivial 'Trivial.psm1') -Value 'function Get-Trivial { 42 }'

    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { 'exec', (Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $env:POWERSHELL_TELEMETRY_OPTOUT = '1'
    $env:POWERSHELL_UPDATECHECK = 'Off'

    $probes = [ordered]@{
        module  = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModuleManifest' -ErrorAction Stop; `$ms = `$sw.Elapsed.TotalMilliseconds; if ((Get-Command -Module RedisComponents).Count -lt 20) { throw 'cmdlets missing' }; 'P7MS=' + `$ms.ToString([cultureinfo]::InvariantCulture)"
        flat    = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$(Join-Path $flat 'RedisComponents.psd1')' -ErrorAction Stop; `$ms = `$sw.Elapsed.TotalMilliseconds; if ((Get-Command -Module RedisComponents).Count -lt 20) { throw 'cmdlets missing' }; 'P7MS=' + `$ms.ToString([cultureinfo]::InvariantCulture)"
        trivial = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$(Join-Path $trivial 'Trivial.psm1')' -ErrorAction Stop; `$ms = `$sw.Elapsed.TotalMilliseconds; if ((Get-Trivial) -ne 42) { throw 'not imported' }; 'P7MS=' + `$ms.ToString([cultureinfo]::InvariantCulture)"
        empty   = "'P7MS=0'"
    }
    function Measure-Fresh([string] $kind) {
        $wall = [Diagnostics.Stopwatch]::StartNew()
        $out = & $exe @prefix -NoProfile -NonInteractive -Command $probes[$kind] 2>&1
        $wall.Stop()
        $line = $out | Where-Object { "$_" -like 'P7MS=*' } | Select-Object -First 1
        if (-not $line) { throw "The fresh pwsh ($kind) failed:`n$($out -join "`n")" }
        [pscustomobject]@{ Import = [double]::Parse("$line".Substring(5), [cultureinfo]::InvariantCulture); Wall = $wall.Elapsed.TotalMilliseconds }
    }

    $kinds = @($probes.Keys)
    $import = @{}; $wallMs = @{}
    foreach ($k in $kinds) { $import[$k] = [Collections.Generic.List[double]]::new(); $wallMs[$k] = [Collections.Generic.List[double]]::new(); Measure-Fresh $k | Out-Null } # warm the disk cache
    for ($i = 0; $i -lt $Count; $i++) {
        for ($j = 0; $j -lt $kinds.Count; $j++) {
            $k = $kinds[($i + $j) % $kinds.Count]
            $m = Measure-Fresh $k
            $import[$k].Add($m.Import); $wallMs[$k].Add($m.Wall)
        }
    }

    function Get-Median([double[]] $v) { $s = @($v | Sort-Object); if ($s.Count % 2) { $s[($s.Count - 1) / 2] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
    function Format-Spread([double[]] $v) { $s = @($v | Sort-Object); '{0:N1} [{1:N1}-{2:N1}]' -f (Get-Median $v), $s[0], $s[-1] }
    Write-Host ("P7 this run (n=$Count each, ms, median [min-max]): import module $(Format-Spread $import.module), flat $(Format-Spread $import.flat), trivial $(Format-Spread $import.trivial); " +
        "process wall module $(Format-Spread $wallMs.module), flat $(Format-Spread $wallMs.flat), trivial $(Format-Spread $wallMs.trivial), empty $(Format-Spread $wallMs.empty); /proc/loadavg $((Get-Content /proc/loadavg -Raw -ErrorAction SilentlyContinue).Trim())")

    $m = Get-Median $import.module
    $row = { param($scenario, $module, $baseline, $goal) [ordered]@{ id = 'P7'; scenario = $scenario; module = [math]::Round($module, 1); baseline = [math]::Round($baseline, 1); unit = 'ms'; ratio = [math]::Round($module / $baseline, 2); goal = $goal } | ConvertTo-Json -Compress }
    & $row "Import-Module in a fresh pwsh, median of $Count; baseline: the same engine flat in the default context (ratio = cost of the isolation)" $m (Get-Median $import.flat) '<= 90 ms'
    & $row "Import-Module in a fresh pwsh, median of $Count; baseline: a one-function script module" $m (Get-Median $import.trivial) '<= 90 ms'
    & $row "fresh pwsh -NoProfile + Import-Module, process wall time, median of $Count; baseline: an empty pwsh start" (Get-Median $wallMs.module) (Get-Median $wallMs.empty) 'report'
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
