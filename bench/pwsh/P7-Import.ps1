#Requires -Version 7.4
<#
.SYNOPSIS
    P7 (issue 14): Import-Module of the published module in a fresh pwsh, median of 20 fresh processes.
.DESCRIPTION
    Starts -Count fresh `pwsh -NoProfile` processes (the same pwsh as this one: the repository's local tool)
    per kind and mode, interleaved in a rotating order so load changes hit all kinds alike. Kinds:
      module  : Import-Module of the manifest given (the isolated layout: RedisComponents.psm1 loads the
                engine and StackExchange.Redis & co. from dependencies/ into the module's own load context);
      flat    : the same engine, format file and cmdlets imported the pre-isolation way, a plain binary
                RootModule in the default load context - module/flat is the cost of the isolation;
      control : bench/import-control, the smallest module of the same shape (manifest, binary RootModule with
                one cmdlet, one table view) - what PowerShell charges any binary module with views;
      trivial : a one-function script module - what any Import-Module costs.
    Modes:
      start   : the import is the first thing the process does (`pwsh -Command 'Import-Module ...'`, as in a
                script or CI job);
      prompt  : what a console user waits for: the process first does what an interactive pwsh does before
                its first prompt (imports PSReadLine) and is idle for a second, then imports.
    Each process times its own Import-Module with a Stopwatch (process start-up is not counted) and counts
    the methods the runtime compiled on the importing thread (System.Runtime.JitInfo): this pwsh's own
    assemblies are not precompiled (ReadyToRun), so a first import JIT-compiles PowerShell's module code.
    Rows (one JSON object each, the Run-Bench.ps1 contract): module vs control, flat and trivial per mode
    (ms, goal <= 90 ms). Per-kind median [min-max] of this run go to the host. Needs no Redis; -RedisEndpoint
    is accepted for the runner's contract.
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
    $manifestText = (Get-Content -Raw $ModuleManifest) -replace "NestedModules\s*=\s*@\([^)]*\)", "RootModule = 'RedisComponents.PowerShell.dll'"
    Set-Content -Path (Join-Path $flat 'RedisComponents.psd1') -Value $manifestText
    # The trivial script module.
    $trivial = Join-Path $work 'Trivial'
    New-Item -ItemType Directory -Path $trivial | Out-Null
    Set-Content -Path (Join-Path $trivial 'Trivial.psm1') -Value 'function Get-Trivial { 42 }'

    # The control module, built from bench/import-control into the work folder.
    $control = Join-Path $work 'ImportControl'
    $built = & dotnet build (Join-Path $PSScriptRoot '../import-control') -c Release -o $control -nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { throw "bench/import-control did not build:`n$($built -join "`n")" }

    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { 'exec', (Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $env:POWERSHELL_TELEMETRY_OPTOUT = '1'
    $env:POWERSHELL_UPDATECHECK = 'Off'

    $targets = [ordered]@{
        module  = $ModuleManifest
        flat    = Join-Path $flat 'RedisComponents.psd1'
        control = Join-Path $control 'ImportControl.psd1'
        trivial = Join-Path $trivial 'Trivial.psm1'
    }
    $checks = @{
        module  = "if ((Get-Command -Module RedisComponents).Count -lt 20) { throw 'cmdlets missing' }"
        flat    = "if ((Get-Command -Module RedisComponents).Count -lt 20) { throw 'cmdlets missing' }"
        control = "if ((Get-ImportControl).Value -ne 42) { throw 'not imported' }"
        trivial = "if ((Get-Trivial) -ne 42) { throw 'not imported' }"
    }
    $before = @{ start = ''; prompt = 'Import-Module PSReadLine; [System.Threading.Thread]::Sleep(1000); ' }
    function Measure-Fresh([string] $kind, [string] $mode) {
        $probe = $before[$mode] + "`$j = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$true); `$sw = [Diagnostics.Stopwatch]::StartNew(); " +
            "Import-Module '$($targets[$kind])' -ErrorAction Stop; `$ms = `$sw.Elapsed.TotalMilliseconds; `$j = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$true) - `$j; " +
            $checks[$kind] + "; 'P7MS=' + `$ms.ToString([cultureinfo]::InvariantCulture) + ' ' + `$j"
        $out = & $exe @prefix -NoProfile -NonInteractive -Command $probe 2>&1
        $line = $out | Where-Object { "$_" -like 'P7MS=*' } | Select-Object -First 1
        if (-not $line) { throw "The fresh pwsh ($kind, $mode) failed:`n$($out -join "`n")" }
        $parts = "$line".Substring(5).Split(' ')
        [pscustomobject]@{ Import = [double]::Parse($parts[0], [cultureinfo]::InvariantCulture); Jitted = [int]$parts[1] }
    }

    $kinds = @($targets.Keys)
    $modes = @('start', 'prompt')
    $import = @{}; $jitted = @{}
    foreach ($mode in $modes) { foreach ($k in $kinds) { $import["$mode/$k"] = [Collections.Generic.List[double]]::new(); $jitted["$mode/$k"] = [Collections.Generic.List[double]]::new() } }
    foreach ($k in $kinds) { Measure-Fresh $k 'start' | Out-Null } # warm the disk cache
    for ($i = 0; $i -lt $Count; $i++) {
        foreach ($mode in $modes) {
            for ($j = 0; $j -lt $kinds.Count; $j++) {
                $k = $kinds[($i + $j) % $kinds.Count]
                $m = Measure-Fresh $k $mode
                $import["$mode/$k"].Add($m.Import); $jitted["$mode/$k"].Add($m.Jitted)
            }
        }
    }

    function Get-Median([double[]] $v) { $s = @($v | Sort-Object); if ($s.Count % 2) { $s[($s.Count - 1) / 2] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
    function Format-Spread([double[]] $v) { $s = @($v | Sort-Object); '{0:N1} [{1:N1}-{2:N1}]' -f (Get-Median $v), $s[0], $s[-1] }
    foreach ($mode in $modes) {
        Write-Host ("P7 $mode (n=$Count each; import ms median [min-max], methods compiled on the importing thread median): " +
            (($kinds | ForEach-Object { "$_ $(Format-Spread $import["$mode/$_"]) jit $(Get-Median $jitted["$mode/$_"])" }) -join '; ') +
            "; /proc/loadavg $((Get-Content /proc/loadavg -Raw -ErrorAction SilentlyContinue).Trim())")
    }

    $row = { param($scenario, $module, $baseline, $goal) [ordered]@{ id = 'P7'; scenario = $scenario; module = [math]::Round($module, 1); baseline = [math]::Round($baseline, 1); unit = 'ms'; ratio = [math]::Round($module / $baseline, 2); goal = $goal } | ConvertTo-Json -Compress }
    $describe = @{ start = 'as the first command of a fresh pwsh'; prompt = 'at the first prompt of a fresh pwsh (PSReadLine imported, 1 s idle)' }
    foreach ($mode in $modes) {
        $m = Get-Median $import["$mode/module"]
        & $row "Import-Module $($describe[$mode]), median of $Count; baseline: the control module (one cmdlet, one view)" $m (Get-Median $import["$mode/control"]) '<= 90 ms'
        & $row "Import-Module $($describe[$mode]), median of $Count; baseline: the same engine flat in the default context (ratio = cost of the isolation)" $m (Get-Median $import["$mode/flat"]) '<= 90 ms'
        & $row "Import-Module $($describe[$mode]), median of $Count; baseline: a one-function script module" $m (Get-Median $import["$mode/trivial"]) '<= 90 ms'
    }
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
