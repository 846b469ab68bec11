#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the RedisComponents module.
.DESCRIPTION
    Every task is a thin wrapper over dotnet, so each step can also be run without pwsh:
      Build   : dotnet publish src/RedisComponents.PowerShell -c Release -o out/RedisComponents
      Test    : dotnet test tests/unit -c Release (which also runs tests/pester under pwsh), then
                Invoke-Pester -Path ./tests/pester -CI with this pwsh
      Package : Build, then a clean copy in out/package/RedisComponents checked with Test-ModuleManifest
.EXAMPLE
    ./build.ps1 -Task Build
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleOut = Join-Path $root 'out/RedisComponents'

# A simple (not advanced) function on purpose: dotnet's own -o/-c must not bind to common parameters.
function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $root 'src/RedisComponents.PowerShell') -c $Configuration -o $moduleOut
    Write-Host "Module built: $moduleOut"
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'tests/unit') -c $Configuration
    Invoke-Build
    # An installed Pester 5, else the one the test project restores from NuGet.
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
        $restored = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/5.7.1/tools/Pester.psd1'
        if (-not (Test-Path $restored)) { throw 'Pester 5 is required: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser' }
        Import-Module $restored
    }
    $result = Invoke-Pester -Path (Join-Path $root 'tests/pester') -CI -PassThru
    if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
}

function Invoke-Package {
    Invoke-Build
    $package = Join-Path $root 'out/package/RedisComponents'
    if (Test-Path $package) { Remove-Item $package -Recurse -Force }
    New-Item -ItemType Directory -Path $package | Out-Null
    Copy-Item -Path (Join-Path $moduleOut '*') -Destination $package -Recurse
    $manifest = Test-ModuleManifest -Path (Join-Path $package 'RedisComponents.psd1')
    # Dependency isolation (README, Layout): the root's only assembly is the loader; the engine and its
    # dependencies sit in dependencies/, loaded into the module's own load context.
    $rootDlls = @(Get-ChildItem -Path $package -Filter *.dll -File | ForEach-Object Name)
    if ($rootDlls.Count -ne 1 -or $rootDlls[0] -ne 'RedisComponents.Loader.dll') { throw "The module root must hold only RedisComponents.Loader.dll, not: $($rootDlls -join ', ')" }
    foreach ($required in 'dependencies/RedisComponents.PowerShell.dll', 'dependencies/StackExchange.Redis.dll', 'en-US/RedisComponents.PowerShell.dll-Help.xml') {
        if (-not (Test-Path (Join-Path $package $required))) { throw "The package lacks $required." }
    }
    Write-Host "Package ready: $package (RedisComponents $($manifest.Version))"
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
    }
}
