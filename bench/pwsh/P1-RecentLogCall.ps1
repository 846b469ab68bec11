<#
.SYNOPSIS
    P1: one-message Write-RedisRecentLog calls vs the same MULTI { LPUSH; LTRIM } sent from the same pwsh.
.DESCRIPTION
    5000 calls of `Write-RedisRecentLog -Component bench-p1 -Name p1 -Message m` against a script loop that
    sends the book's commands itself through raw StackExchange.Redis (the dll in the module folder, one
    transaction per message with the asctime entry). Rows are medians of -Repeats rounds (all kinds
    interleaved in each round), in µs per call:
    - the goal row: module / raw script loop (goal <= 1.25);
    - floor "do-nothing cmdlet": (raw + a do-nothing binary cmdlet with Write-RedisRecentLog's parameter
      declarations and one ShouldProcess, compiled here) / raw, what a cmdlet would cost if the transaction
      cost the same inside a cmdlet call as in a tight script loop;
    - floor "interleaved": the raw script loop with that do-nothing cmdlet called after each transaction, / raw:
      what the transaction costs once any cmdlet call runs between two of them (the client's socket threads
      go idle between round trips and must be woken again);
    - "C# cmdlet": module / a binary cmdlet with the same declarations that sends the same transaction with the
      same client in C# (no module code at all), the cost of doing the work inside a cmdlet call.
    Each row also reports the pipeline thread's CPU time per call (getrusage RUSAGE_THREAD) and the process's
    context switches per call. Uses db 14.
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
$se = Import-BenchRawClient (Split-Path -Parent (Resolve-Path $ModuleManifest))
$refs = @($se.FullName) + @(Get-ChildItem -LiteralPath $se.DirectoryName -Filter 'Microsoft.Extensions.*.dll' | ForEach-Object FullName) +
    @('System.Runtime', 'System.Collections', 'System.Threading.Tasks', 'System.Net.Primitives', 'netstandard', 'System.Management.Automation',
      'System.Linq.Expressions', 'System.ComponentModel.Primitives', 'System.Runtime.InteropServices')
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $refs -TypeDefinition @'
using System;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.InteropServices;
using StackExchange.Redis;
public enum P1Severity { Debug, Info, Warning, Error, Critical }
/// <summary>Write-RedisRecentLog's parameter declarations and one ShouldProcess; with Db set, the same transaction in C#.</summary>
[Cmdlet(VerbsCommunications.Write, "P1Nothing", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Message")]
public sealed class WriteP1NothingCommand : PSCmdlet
{
    public static IDatabase Db;
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)] public string Component { get; set; }
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Message")] [Parameter(Position = 1, ParameterSetName = "InputObject")] [ValidateNotNullOrEmpty] public string Name { get; set; }
    [Parameter] public P1Severity Severity { get; set; }
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "Message")] [AllowEmptyString] [AllowEmptyCollection] public string[] Message { get; set; }
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")] public PSObject InputObject { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }
    [Parameter] public SwitchParameter Send { get; set; }
    protected override void ProcessRecord()
    {
        if (!ShouldProcess("recent:p1:info on component 'bench-p1'", "Log message") || !Send) return;
        var t = Db.CreateTransaction();
        RedisKey key = "recent:p1cs:info";
        t.ListLeftPushAsync(key, DateTime.Now.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture) + " " + Message[0]);
        t.ListTrimAsync(key, 0, 99);
        if (!t.Execute()) throw new InvalidOperationException("the C# transaction did not run");
    }
}
public static class P1Usage
{
    [StructLayout(LayoutKind.Sequential)] private struct RUsage { public long UtimeS, UtimeUs, StimeS, StimeUs, MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw; }
    [DllImport("libc", SetLastError = true)] private static extern int getrusage(int who, out RUsage usage);
    /// <summary>CPU time of the calling thread (RUSAGE_THREAD), µs.</summary>
    public static double ThreadCpuUs() { getrusage(1, out var u); return (u.UtimeS + u.StimeS) * 1e6 + u.UtimeUs + u.StimeUs; }
    /// <summary>Voluntary plus involuntary context switches of the process so far.</summary>
    public static long ContextSwitches() { getrusage(0, out var u); return u.NvCsw + u.NivCsw; }
}
'@
Import-Module ([WriteP1NothingCommand].Assembly)

Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
Set-RedisComponentConfig -Component $Component -ConnectionString "$RedisEndpoint,defaultDatabase=$Db" -Confirm:$false
$mux = [StackExchange.Redis.ConnectionMultiplexer]::Connect($RedisEndpoint)
$db = $mux.GetDatabase($Db)
[WriteP1NothingCommand]::Db = $db
$key = [StackExchange.Redis.RedisKey]'recent:p1raw:info'
$culture = [cultureinfo]::InvariantCulture
$none = [StackExchange.Redis.CommandFlags]::None
try {
    $kinds = 'module', 'raw', 'nothing', 'interleaved', 'csharp'
    $times = @{}; $cpu = @{}; $csw = @{}
    foreach ($k in $kinds) { $times[$k] = [Collections.Generic.List[double]]::new(); $cpu[$k] = [Collections.Generic.List[double]]::new(); $csw[$k] = [Collections.Generic.List[double]]::new() }
    for ($r = -1; $r -lt $Repeats; $r++) {   # round -1 warms all up
        foreach ($k in $kinds) {
            $c0 = [P1Usage]::ThreadCpuUs(); $s0 = [P1Usage]::ContextSwitches()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            switch ($k) {
                'module' { for ($i = 0; $i -lt $Count; $i++) { Write-RedisRecentLog -Component $Component -Name p1 -Message 'disk full' } }
                'raw' {
                    for ($i = 0; $i -lt $Count; $i++) {
                        $t = $db.CreateTransaction($null)
                        $null = $t.ListLeftPushAsync($key, [StackExchange.Redis.RedisValue]([DateTime]::Now.ToString('ddd MMM d HH:mm:ss yyyy', $culture) + ' disk full'))
                        $null = $t.ListTrimAsync($key, 0, 99)
                        if (-not $t.Execute($none)) { throw "the baseline transaction did not run" }  # the typed overload waits for EXEC; Execute() binds to another method and does not wait
                    }
                }
                'nothing' { for ($i = 0; $i -lt $Count; $i++) { Write-P1Nothing -Component $Component -Name p1 -Message 'disk full' } }
                'interleaved' {
                    # The raw loop's body again, inline: a shared function would add a script call to both baselines.
                    for ($i = 0; $i -lt $Count; $i++) {
                        $t = $db.CreateTransaction($null)
                        $null = $t.ListLeftPushAsync($key, [StackExchange.Redis.RedisValue]([DateTime]::Now.ToString('ddd MMM d HH:mm:ss yyyy', $culture) + ' disk full'))
                        $null = $t.ListTrimAsync($key, 0, 99)
                        if (-not $t.Execute($none)) { throw "the baseline transaction did not run" }
                        Write-P1Nothing -Component $Component -Name p1 -Message 'disk full'
                    }
                }
                'csharp' { for ($i = 0; $i -lt $Count; $i++) { Write-P1Nothing -Component $Component -Name p1 -Message 'disk full' -Send } }
            }
            $clock.Stop()
            if ($r -ge 0) {
                $times[$k].Add($clock.Elapsed.TotalMilliseconds * 1000 / $Count)
                $cpu[$k].Add(([P1Usage]::ThreadCpuUs() - $c0) / $Count)
                $csw[$k].Add(([P1Usage]::ContextSwitches() - $s0) / $Count)
            }
        }
    }
    function Median($list) { ($list | Sort-Object)[[int][Math]::Floor($list.Count / 2)] }
    $m = @{}; $c = @{}; $w = @{}
    foreach ($k in $kinds) { $m[$k] = Median $times[$k]; $c[$k] = [Math]::Round((Median $cpu[$k]), 1); $w[$k] = [Math]::Round((Median $csw[$k]), 1) }
    $cpuText = { param($a, $b) "pipeline-thread CPU $($c[$a]) vs $($c[$b]) µs/call, context switches $($w[$a]) vs $($w[$b]) per call" }
    [ordered]@{
        id = 'P1'; scenario = "$Count one-message Write-RedisRecentLog calls vs the same MULTI{LPUSH;LTRIM} from the same pwsh (time per call, module/baseline; $(& $cpuText module raw))"
        module = [Math]::Round($m.module, 1); baseline = [Math]::Round($m.raw, 1); unit = 'µs/call'; ratio = [Math]::Round($m.module / $m.raw, 3); goal = '<= 1.25'
    } | ConvertTo-Json -Compress
    [ordered]@{
        id = 'P1'; scenario = "floor if a transaction cost inside a cmdlet call what it costs in a tight loop: baseline + a do-nothing cmdlet call ($([Math]::Round($m.nothing, 1)) µs, CPU $($c.nothing)) vs the baseline"
        module = [Math]::Round($m.raw + $m.nothing, 1); baseline = [Math]::Round($m.raw, 1); unit = 'µs/call'; ratio = [Math]::Round(($m.raw + $m.nothing) / $m.raw, 3); goal = 'report'
    } | ConvertTo-Json -Compress
    [ordered]@{
        id = 'P1'; scenario = "floor measured: the baseline loop with that do-nothing cmdlet called after each transaction vs the baseline ($(& $cpuText interleaved raw))"
        module = [Math]::Round($m.interleaved, 1); baseline = [Math]::Round($m.raw, 1); unit = 'µs/call'; ratio = [Math]::Round($m.interleaved / $m.raw, 3); goal = 'report'
    } | ConvertTo-Json -Compress
    [ordered]@{
        id = 'P1'; scenario = "module vs a binary cmdlet with the same declarations sending the same transaction in C# with the same client ($(& $cpuText module csharp))"
        module = [Math]::Round($m.module, 1); baseline = [Math]::Round($m.csharp, 1); unit = 'µs/call'; ratio = [Math]::Round($m.module / $m.csharp, 3); goal = 'report'
    } | ConvertTo-Json -Compress
}
finally {
    $null = $db.Execute('FLUSHDB')
    $null = $mux.GetDatabase(0).KeyDelete("config:redis:$Component")
    $mux.Dispose()
}
