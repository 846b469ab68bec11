<#
.SYNOPSIS
    A tour of RedisComponents: components, connection management, and (as the module grows) logs,
    counters, statistics and IP-to-city lookup.
.DESCRIPTION
    Uses only the module's cmdlets and core PowerShell commands, so it runs in pwsh and in a bare
    System.Management.Automation host (dotnet run --project examples/RedisComponents.Demo).
    Writes keys named demo* / recent:demo:* etc. into the Redis it is pointed at.
.EXAMPLE
    ./build.ps1 -Task Build; Import-Module ./out/RedisComponents/RedisComponents.psd1; ./examples/demo.ps1 -ConfigServer localhost:6379
#>
[CmdletBinding()]
param(
    # Config server (and, in this demo, the Redis of both components).
    [string] $ConfigServer = $(if ($env:REDIS_COMPONENTS_CONFIG_SERVER) { $env:REDIS_COMPONENTS_CONFIG_SERVER } else { 'localhost:6379' })
)

$ErrorActionPreference = 'Stop'
# Headings are plain output strings: Write-Host and Write-Information are not core commands.
function Show([string] $Title) { "`n== $Title" }

Show "Config server: $ConfigServer"
Connect-RedisConfigServer -Configuration $ConfigServer -PassThru

Show 'Two components pointing at the local Redis (book 5.4.2 set_config)'
Set-RedisComponentConfig -Component demo-logs -ConnectionString $ConfigServer -PassThru
Set-RedisComponentConfig -Component demo-stats -ConnectionString $ConfigServer -PassThru
Test-RedisComponent -Component demo-logs, demo-stats
Get-RedisComponentConnection

Show 'Maintenance flag (book 5.4.1)'
Enable-RedisMaintenance
"under maintenance: $(Test-RedisMaintenance)"
Disable-RedisMaintenance
