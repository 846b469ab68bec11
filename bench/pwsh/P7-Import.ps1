#Requires -Version 7.4
<#
.SYNOPSIS
    P7 (issue 14): Import-Module of the published module in a fresh pwsh, median of 20 fresh processes.
.DESCRIPTION
    Starts -Count fresh pwsh processes for the module and as many for the baseline, interleaved, each timing
    its own `Import-Module` with a Stopwatch (process start-up is not counted). Module: the manifest given,
    i.e. the isolated layout (RedisComponents.psm1 loads the engine from dependencies/ into its own load
    context). Baseline: the same engine, format file and cmdlets imported the pre-isolation way, as a plain
    binary RootModule loaded into the default context (a manifest written to a temporary copy of
    dependencies/). Writes one JSON row per measure: median ms of the module (goal <= 90 ms) and of the
    baseline, and their ratio (module / baseline: the cost of the isolation).
    Needs no Redis; -RedisEndpoint is accepted for the runner's contract.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $RedisEndpoint,
    [int] $Count = 20
)
$ErrorActionPreference = 'Stop'
$moduleDir = Split-Path -Parent (Resolve-Path $ModuleManifest).Path
$dependencies = Join-Path $moduleDir 'dependencies'
if (-not (Test-Path (Join-Path $dependencies 'RedisComponents.PowerShell.dll'))) { throw "No dependencies/RedisComponents.PowerShell.dll beside ${ModuleManifest}: pass the published module's manifest." }

# The baseline module folder: the engine flat, its manifest pointing straight at the dll.
$flat = Join-Path ([IO.Path]::GetTempPath()) ("rc-p7-flat-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $flat | Out-Null
try {
    Copy-Item (Join-Path $dependencies '*') $flat
    Copy-Item (Join-Path $moduleDir 'RedisComponents.format.ps1xml') $flat
    $manifestText = (Get-Content -Raw $ModuleManifest) -replace "RootModule\s*=\s*'[^']*'", "RootModule = 'RedisComponents.PowerShell.dll'"
    $manifestText = $manifestText -replace "(?s)NestedModules\s*=\s*@\([^)]*\)", "NestedModules = @()"
    Set-Content -Path (Join-Path $flat 'RedisComponents.psd1') -Value $manifestText

    # The same pwsh as this one: the local dotnet tool (dotnet + pwsh.dll) or an installed pwsh.
    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { 'exec', (Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $env:POWERSHELL_TELEMETRY_OPTOUT = '1'
    $env:POWERSHELL_UPDATECHECK = 'Off'

    function Measure-FreshImport([string] $manifest) {
        $probe = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$manifest' -ErrorAction Stop; `$ms = `$sw.Elapsed.TotalMilliseconds; if ((Get-Command -Module RedisComponents).Count -lt 20) { throw 'cmdlets missing' }; 'P7MS=' + `$ms.ToString([cultureinfo]::InvariantCulture)"
        $out = & $exe @prefix -NoProfile -NonInteractive -Command $probe 2>&1
        $line = $out | Where-Object { "$_" -like 'P7MS=*' } | Select-Object -First 1
        if (-not $line) { throw "The fresh pwsh did not import $manifest`n$($out -join "`n")" }
        [double]::Parse("$line".Substring(5), [cultureinfo]::InvariantCulture)
    }

    $module = [Collections.Generic.List[double]]::new()
    $baseline = [Collections.Generic.List[double]]::new()
    Measure-FreshImport $ModuleManifest | Out-Null # warm the disk cache for both
    Measure-FreshImport (Join-Path $flat 'RedisComponents.psd1') | Out-Null
    for ($i = 0; $i -lt $Count; $i++) {
        if ($i % 2 -eq 0) {
            $module.Add((Measure-FreshImport $ModuleManifest)); $baseline.Add((Measure-FreshImport (Join-Path $flat 'RedisComponents.psd1')))
        }
        else {
            $baseline.Add((Measure-FreshImport (Join-Path $flat 'RedisComponents.psd1'))); $module.Add((Measure-FreshImport $ModuleManifest))
        }
    }
    function Get-Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
    $m = Get-Median $module
    $b = Get-Median $baseline
    [ordered]@{
        id       = 'P7'
        scenario = "Import-Module in a fresh pwsh, median of $Count (module: isolated layout, min $([math]::Round(($module | Measure-Object -Minimum).Minimum, 1)) max $([math]::Round(($module | Measure-Object -Maximum).Maximum, 1)); baseline: same engine as a flat binary module in the default context; ratio = module / baseline)"
        module   = [math]::Round($m, 1)
        baseline = [math]::Round($b, 1)
        unit     = 'ms'
        ratio    = [math]::Round($m / $b, 2)
        goal     = '<= 90 ms'
    } | ConvertTo-Json -Compress
}
finally {
    Remove-Item $flat -Recurse -Force -ErrorAction SilentlyContinue
}
