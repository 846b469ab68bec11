<#
.SYNOPSIS
    A tour of RedisComponents: components and connection management (book 5.4), recent and common logs
    (5.1), counters, statistics and access times (5.2), and IP-to-city lookup (5.3).
.DESCRIPTION
    Uses only the module's cmdlets and core PowerShell commands, so it runs in pwsh and in a bare
    System.Management.Automation host (dotnet run --project examples/RedisComponents.Demo).
    The two components point at the config server's Redis, database -Database (default 15), so the book's
    global keys it writes (ip2cityid:, cityid2city:, known:, ...) stay out of database 0.
.EXAMPLE
    Import-Module ./out/RedisComponents/RedisComponents.psd1; ./examples/demo.ps1 -ConfigServer localhost:6379
#>
[CmdletBinding()]
param(
    # The config server; in this demo also the Redis of both components.
    [string] $ConfigServer = $(if ($env:REDIS_COMPONENTS_CONFIG_SERVER) { $env:REDIS_COMPONENTS_CONFIG_SERVER } else { 'localhost:6379' }),

    # The database of the demo's data.
    [ValidateRange(0, 15)]
    [int] $Database = 15
)

$ErrorActionPreference = 'Stop'
# Headings are plain output strings: Write-Host and Write-Information are not core commands.
function Show([string] $Title) { "`n== $Title" }

Show "Config server: $ConfigServer"
Connect-RedisConfigServer -Configuration $ConfigServer -PassThru

Show "Two components on that Redis, database $Database (book 5.4.2 set_config)"
Set-RedisComponentConfig -Component demo-logs -ConnectionString $ConfigServer
# Same host, port and credentials, another database: copy the stored arguments and change db.
$arguments = [ordered]@{}
$stored = (Get-RedisComponentConfig -Component demo-logs -AsPlainText).Config
foreach ($key in $stored.Keys) { $arguments[$key] = $stored[$key] }
$arguments['db'] = $Database
Set-RedisComponentConfig -Component demo-logs -Config $arguments
Set-RedisComponentConfig -Component demo-stats -Config $arguments -PassThru
Test-RedisComponent -Component demo-logs, demo-stats
Get-RedisComponentConnection

Show 'Recent and common logs (book 5.1)'
'service started', 'cache warmed', 'listening on :8080' | Write-RedisRecentLog -Component demo-logs -Name demo
'disk almost full', 'disk almost full', 'slow query' | Write-RedisCommonLog -Component demo-logs -Name demo -Severity Warning
Get-RedisRecentLog -Component demo-logs -Name demo -Count 3
Get-RedisCommonLog -Component demo-logs -Name demo -Severity Warning

Show 'Counters (book 5.2.1)'
1..25 | ForEach-Object { 'page:/home' } | Update-RedisCounter -Component demo-stats
Update-RedisCounter -Component demo-stats -Name 'page:/cart' -Count 3
Get-RedisCounter -Component demo-stats -Name 'page:/home' -Precision 86400

Show 'Statistics and access times (book 5.2.2, 5.2.3)'
12, 40, 7, 95 | Update-RedisStatistic -Component demo-stats -Context checkout -Type Milliseconds
Get-RedisStatistic -Component demo-stats -Context checkout -Type Milliseconds
$sum = Measure-RedisAccessTime -Component demo-stats -Context 'demo:sum' { $total = 0; foreach ($i in 1..20000) { $total += $i }; $total }
"sum computed inside Measure-RedisAccessTime: $sum"
Get-RedisAccessTime -Component demo-stats -Top 5

Show 'IP-to-city lookup on the generated GeoLite sample (book 5.3)'
Import-RedisIpBlock -Component demo-stats -LiteralPath "$PSScriptRoot/data/GeoLiteCity-Blocks.csv"
Import-RedisCityLocation -Component demo-stats -LiteralPath "$PSScriptRoot/data/GeoLiteCity-Location.csv"
'1.0.0.1', '1.0.7.200', '1.0.20.5' | Find-RedisCity -Component demo-stats -ErrorAction SilentlyContinue

Show 'Maintenance flag (book 5.4.1)'
Enable-RedisMaintenance
"under maintenance: $(Test-RedisMaintenance)"
Disable-RedisMaintenance
"under maintenance: $(Test-RedisMaintenance)"
