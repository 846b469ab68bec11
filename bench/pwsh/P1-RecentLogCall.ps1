<#
.SYNOPSIS
    P1: one-message Write-RedisRecentLog calls vs the same MULTI { LPUSH; LTRIM } sent from the same pwsh.
.DESCRIPTION
    5000 calls of `Write-RedisRecentLog -Component bench-p1 -Name p1 -Message m` against a script loop that
    sends the book's commands itself through raw StackExchange.Redis (the dll in the module folder, one
    transaction per message with the asctime entry). Module and baseline alternate in this process; the
    row is the median of -Repeats rounds, in µs per call (ratio module/baseline, goal <= 1.25). Uses db 14.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $RedisEndpoint,
    [int] $Count = 5000,
    [int] $Repeats = 3
)
$ErrorActionPreference = 'Stop'
$Db = 14
$Component = 'bench-p1'
Import-Module $ModuleManifest
$seDll = Get-ChildItem -LiteralPath (Split-Path -Parent (Resolve-Path $ModuleManifest)) -Recurse -Filter StackExchange.Redis.dll | Select-Object -First 1
Add-Type -Path $seDll.FullName

Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
Set-RedisComponentConfig -Component $Component -ConnectionString "$RedisEndpoint,defaultDatabase=$Db" -Confirm:$false
$mux = [StackExchange.Redis.ConnectionMultiplexer]::Connect($RedisEndpoint)
$db = $mux.GetDatabase($Db)
$key = [StackExchange.Redis.RedisKey]'recent:p1raw:info'
$culture = [cultureinfo]::InvariantCulture
try {
    $module = [Collections.Generic.List[double]]::new(); $raw = [Collections.Generic.List[double]]::new()
    for ($r = -1; $r -lt $Repeats; $r++) {   # round -1 warms both up
        $clock = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $Count; $i++) { Write-RedisRecentLog -Component $Component -Name p1 -Message 'disk full' }
        $clock.Stop()
        if ($r -ge 0) { $module.Add($clock.Elapsed.TotalMilliseconds * 1000 / $Count) }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $Count; $i++) {
            $t = $db.CreateTransaction($null)
            $null = $t.ListLeftPushAsync($key, [StackExchange.Redis.RedisValue]([DateTime]::Now.ToString('ddd MMM d HH:mm:ss yyyy', $culture) + ' disk full'))
            $null = $t.ListTrimAsync($key, 0, 99)
            if (-not $t.Execute([StackExchange.Redis.CommandFlags]::None)) { throw "the baseline transaction did not run" }  # the typed overload waits for EXEC; Execute() binds to another method and does not wait
        }
        $clock.Stop()
        if ($r -ge 0) { $raw.Add($clock.Elapsed.TotalMilliseconds * 1000 / $Count) }
    }
    $m = ($module | Sort-Object)[[int][Math]::Floor($module.Count / 2)]
    $b = ($raw | Sort-Object)[[int][Math]::Floor($raw.Count / 2)]
    [ordered]@{
        id = 'P1'; scenario = "$Count one-message Write-RedisRecentLog calls vs the same MULTI{LPUSH;LTRIM} from the same pwsh (time per call, module/baseline)"
        module = [Math]::Round($m, 1); baseline = [Math]::Round($b, 1); unit = 'µs/call'; ratio = [Math]::Round($m / $b, 3); goal = '<= 1.25'
    } | ConvertTo-Json -Compress
}
finally {
    $null = $db.Execute('FLUSHDB')
    $null = $mux.GetDatabase(0).KeyDelete("config:redis:$Component")
    $mux.Dispose()
}
