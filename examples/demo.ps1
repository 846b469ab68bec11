<#
.SYNOPSIS
    A tour of RedisComponents in the module's own views: components and connection management (book 5.4),
    recent and common logs (5.1), counters, statistics and access times (5.2), IP-to-city lookup (5.3), and
    the raw-command escape hatch.
.DESCRIPTION
    Each section prints its objects with Format-Table | Out-Host, so every table shows the module's view
    (headers are property names) and no section turns the next one into a list.
    The two components point at the config server's Redis, database -Database (default 15), so the book's
    global keys the demo writes (ip2cityid:, cityid2city:, known:, ...) stay out of database 0.
    `./build.ps1 -Task Demo` builds the module, finds or starts a Redis and runs this script.
.EXAMPLE
    Import-Module ./out/RedisComponents/RedisComponents.psd1; ./examples/demo.ps1 -ConfigServer localhost:6379
#>
[CmdletBinding()]
param(
    # The config server; in this demo also the Redis of both components.
    [string] $ConfigServer = $(if ($env:REDIS_COMPONENTS_CONFIG_SERVER) { $env:REDIS_COMPONENTS_CONFIG_SERVER } else { 'localhost:6379' }),

    # The database of the demo's data.
    [ValidateRange(0, 15)]
    [int] $Database = 15,

    # The width of the tables when the output is redirected (a console's tables take the console's width).
    [ValidateRange(40, 1000)]
    [int] $Width = 120
)

$ErrorActionPreference = 'Stop'

function Show([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "== $Title"
    if ($Command) { Write-Host "PS> $Command" }
}

# Piped objects as the module's table view, on the host (so the next section starts a new table). A console
# gets the tables in its own width and colours; redirected output (a file, a pipe, a test) plain text at -Width.
$redirected = [Console]::IsOutputRedirected
function Out-Table {
    if ($redirected) { $input | Format-Table | Out-String -Width $Width -Stream | Out-Host }
    else { $input | Format-Table | Out-Host }
}

Show "Config server: $ConfigServer" 'Connect-RedisConfigServer $ConfigServer -PassThru'
Connect-RedisConfigServer -Configuration $ConfigServer -PassThru | Out-Table

Show "Two components on that Redis, database $Database (book 5.4.2 set_config)" 'Get-RedisComponentConfig demo-*; Test-RedisComponent demo-*; Get-RedisComponentConnection'
Set-RedisComponentConfig -Component demo-logs -ConnectionString $ConfigServer
# Same host, port and credentials, another database: copy the stored arguments and change db.
$arguments = [ordered]@{}
$stored = (Get-RedisComponentConfig -Component demo-logs -AsPlainText).Config
foreach ($key in $stored.Keys) { $arguments[$key] = $stored[$key] }
$arguments['db'] = $Database
Set-RedisComponentConfig -Component demo-logs -Config $arguments
Set-RedisComponentConfig -Component demo-stats -Config $arguments
Get-RedisComponentConfig demo-* | Out-Table
Test-RedisComponent demo-* | Out-Table
Get-RedisComponentConnection | Out-Table

Show 'Recent and common logs (book 5.1)' "Get-RedisRecentLog demo-logs demo -Count 3; Get-RedisCommonLog demo-logs demo -Severity Warning"
'service started', 'cache warmed', 'listening on :8080' | Write-RedisRecentLog demo-logs demo
'disk almost full', 'disk almost full', 'slow query on orders (1.2 s)' | Write-RedisCommonLog demo-logs demo -Severity Warning
Get-RedisRecentLog demo-logs demo -Count 3 | Out-Table
Get-RedisCommonLog demo-logs demo -Severity Warning | Out-Table

Show 'Counters (book 5.2.1)' "Get-RedisCounter demo-stats; Get-RedisCounter demo-stats 'page:/home' -Precision 86400"
1..25 | ForEach-Object { 'page:/home' } | Update-RedisCounter demo-stats
Update-RedisCounter demo-stats 'page:/cart' -Count 3
Get-RedisCounter demo-stats | Out-Table
Get-RedisCounter demo-stats 'page:/home' -Precision 86400 | Out-Table

Show 'Statistics and access times (book 5.2.2, 5.2.3)' 'Get-RedisStatistic demo-stats checkout Milliseconds; Get-RedisAccessTime demo-stats -Top 5'
Update-RedisStatistic demo-stats checkout Milliseconds 12, 40, 7, 95
Get-RedisStatistic demo-stats checkout Milliseconds | Out-Table
$null = Measure-RedisAccessTime demo-stats 'demo:sum' { $total = 0; foreach ($i in 1..20000) { $total += $i }; $total }
$null = Measure-RedisAccessTime demo-stats 'demo:sleep' { [System.Threading.Thread]::Sleep(20) }
Get-RedisAccessTime demo-stats -Top 5 | Out-Table

Show 'IP-to-city lookup on the generated GeoLite sample (book 5.3)' "'1.0.0.1', '1.0.7.200', '1.0.20.5' | Find-RedisCity demo-stats"
@(
    Import-RedisIpBlock demo-stats -LiteralPath "$PSScriptRoot/data/GeoLiteCity-Blocks.csv"
    Import-RedisCityLocation demo-stats -LiteralPath "$PSScriptRoot/data/GeoLiteCity-Location.csv"
) | Out-Table
'1.0.0.1', '1.0.7.200', '1.0.20.5' | Find-RedisCity demo-stats -ErrorAction SilentlyContinue | Out-Table

Show 'Any Redis command on a component (Invoke-RedisComponentCommand)' "Invoke-RedisComponentCommand demo-stats HGETALL 'count:86400:page:/home'"
Invoke-RedisComponentCommand demo-stats HGETALL 'count:86400:page:/home' | Out-Host  # field, value, ...

Show 'Maintenance flag (book 5.4.1)' 'Enable-RedisMaintenance; Test-RedisMaintenance'
Enable-RedisMaintenance
Write-Host "under maintenance: $(Test-RedisMaintenance)"
Disable-RedisMaintenance
Write-Host "under maintenance: $(Test-RedisMaintenance)"
