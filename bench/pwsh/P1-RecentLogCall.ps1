<#
.SYNOPSIS
    P1: one-message Write-RedisRecentLog calls vs the same MULTI { LPUSH; LTRIM } sent from the same pwsh.
.DESCRIPTION
    5000 calls of `Write-RedisRecentLog -Component bench-p1 -Name p1 -Message m` against a script loop that
    sends the book's commands itself through raw StackExchange.Redis (the dll in the module folder, one
    transaction per message with the asctime entry). Module and baseline alternate in this process; the
    row is the median of -Repeats rounds, in µs per call (ratio module/baseline, goal <= 1.25). A second row
    is the floor: a do-nothing binary cmdlet with Write-RedisRecentLog's parameter declarations (compiled here),
    called the same way, costs what PowerShell charges any such cmdlet call; (baseline + that) / baseline is the
    best ratio a cmdlet doing the baseline's work for free could reach. Uses db 14.
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
. (Join-Path $PSScriptRoot 'RawClient.ps1')
$null = Import-BenchRawClient (Split-Path -Parent (Resolve-Path $ModuleManifest))
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -TypeDefinition @'
using System.Management.Automation;
public enum P1Severity { Debug, Info, Warning, Error, Critical }
/// <summary>The floor of a one-message call: Write-RedisRecentLog's parameter declarations, one ShouldProcess, nothing else.</summary>
[Cmdlet(VerbsCommunications.Write, "P1Nothing", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Message")]
public sealed class WriteP1NothingCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)] public string Component { get; set; }
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Message")] [Parameter(Position = 1, ParameterSetName = "InputObject")] [ValidateNotNullOrEmpty] public string Name { get; set; }
    [Parameter] public P1Severity Severity { get; set; }
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "Message")] [AllowEmptyString] [AllowEmptyCollection] public string[] Message { get; set; }
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")] public PSObject InputObject { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }
    protected override void ProcessRecord() { ShouldProcess("recent:p1:info on component 'bench-p1'", "Log message"); }
}
'@
Import-Module ([WriteP1NothingCommand].Assembly)

Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
Set-RedisComponentConfig -Component $Component -ConnectionString "$RedisEndpoint,defaultDatabase=$Db" -Confirm:$false
$mux = [StackExchange.Redis.ConnectionMultiplexer]::Connect($RedisEndpoint)
$db = $mux.GetDatabase($Db)
$key = [StackExchange.Redis.RedisKey]'recent:p1raw:info'
$culture = [cultureinfo]::InvariantCulture
try {
    $module = [Collections.Generic.List[double]]::new(); $raw = [Collections.Generic.List[double]]::new(); $nothing = [Collections.Generic.List[double]]::new()
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

        $clock = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $Count; $i++) { Write-P1Nothing -Component $Component -Name p1 -Message 'disk full' }
        $clock.Stop()
        if ($r -ge 0) { $nothing.Add($clock.Elapsed.TotalMilliseconds * 1000 / $Count) }
    }
    $m = ($module | Sort-Object)[[int][Math]::Floor($module.Count / 2)]
    $b = ($raw | Sort-Object)[[int][Math]::Floor($raw.Count / 2)]
    $n = ($nothing | Sort-Object)[[int][Math]::Floor($nothing.Count / 2)]
    [ordered]@{
        id = 'P1'; scenario = "$Count one-message Write-RedisRecentLog calls vs the same MULTI{LPUSH;LTRIM} from the same pwsh (time per call, module/baseline)"
        module = [Math]::Round($m, 1); baseline = [Math]::Round($b, 1); unit = 'µs/call'; ratio = [Math]::Round($m / $b, 3); goal = '<= 1.25'
    } | ConvertTo-Json -Compress
    [ordered]@{
        id = 'P1'; scenario = "floor: baseline + a do-nothing cmdlet call with the same parameters ($([Math]::Round($n, 1)) µs) vs the baseline, the best ratio a cmdlet call can reach"
        module = [Math]::Round($b + $n, 1); baseline = [Math]::Round($b, 1); unit = 'µs/call'; ratio = [Math]::Round(($b + $n) / $b, 3); goal = 'report'
    } | ConvertTo-Json -Compress
}
finally {
    $null = $db.Execute('FLUSHDB')
    $null = $mux.GetDatabase(0).KeyDelete("config:redis:$Component")
    $mux.Dispose()
}
