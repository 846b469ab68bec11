<#
.SYNOPSIS
    P3a/b/c and P8: 100k messages into Write-RedisRecentLog, piped and as one -Message array, vs baselines in the same pwsh.
.DESCRIPTION
    P3a: `$msgs | Write-RedisRecentLog` vs a pwsh `foreach` over the same strings that sends raw batches of
    1000 (one MULTI of a variadic LPUSH + LTRIM, through a small C# sender of raw StackExchange.Redis).
    P3b: the same pipe vs a do-nothing binary cmdlet (compiled here with Add-Type) binding the same piped
    strings to a ValueFromPipeline string parameter: the floor any piped binary cmdlet pays.
    P3c: `Write-RedisRecentLog -Message $msgs` (one binding) vs C# raw batches (variadic LPUSH + LTRIM per
    1000) against the StackExchange.Redis dll of the published module.
    P8: the server's CPU (INFO cpu used_cpu_sys + used_cpu_user) during the piped writer's runs as a share
    of their wall time. All rows in items/s (ratios module/baseline, higher is better), medians of -Repeats
    rounds after -Warmup rounds, all kinds interleaved in every round; one more row gives the first round's
    P3a (a fresh process's first pipe). Uses db 13.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $RedisEndpoint,
    [int] $Count = 100000,
    [int] $Repeats = 3,
    # Rounds before the measured ones. The runtime keeps new code at its first, unoptimized tier while methods are
    # still being compiled for the first time, so the first ≈ 4 pipes of 100k in a fresh process run 2–6× slower
    # on both sides; the first round is also reported by itself (what a user feels on a fresh pwsh's first pipe).
    [int] $Warmup = 4
)
$ErrorActionPreference = 'Stop'
$Db = 13
$Component = 'bench-p3'
Import-Module $ModuleManifest
. (Join-Path $PSScriptRoot 'RawClient.ps1')
$seDll = Import-BenchRawClient (Split-Path -Parent (Resolve-Path $ModuleManifest))
$arrayBinding = (Get-Command Write-RedisRecentLog).Parameters['Message'].ParameterType -eq [string[]]
$refs = @($seDll.FullName, [System.Management.Automation.PSObject].Assembly.Location) +
    @(Get-ChildItem -LiteralPath $seDll.DirectoryName -Filter 'Microsoft.Extensions.*.dll' | ForEach-Object FullName) +
    @('System.Runtime', 'System.Collections', 'System.Linq', 'System.Threading.Tasks', 'System.Net.Primitives', 'netstandard')
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $refs -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using StackExchange.Redis;

public static class P3Raw
{
    public static ConnectionMultiplexer Connect(string endpoint) => ConnectionMultiplexer.Connect(endpoint);

    private static string Stamp() => DateTime.Now.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture) + " ";

    /// <summary>One raw batch: MULTI, variadic LPUSH of "asctime message", LTRIM 0 99, EXEC.</summary>
    public static void Send(IDatabase db, string key, List<string> messages)
    {
        var stamp = Stamp();
        var values = new RedisValue[messages.Count];
        for (var i = 0; i < values.Length; i++) values[i] = stamp + messages[i];
        var t = db.CreateTransaction();
        _ = t.ListLeftPushAsync(key, values);
        _ = t.ListTrimAsync(key, 0, 99);
        t.Execute();
    }

    /// <summary>The C# baseline: the whole array in raw batches of 1000.</summary>
    public static void Batches(IDatabase db, string key, string[] messages)
    {
        var batch = new List<string>(1000);
        foreach (var m in messages)
        {
            batch.Add(m);
            if (batch.Count == 1000) { Send(db, key, batch); batch.Clear(); }
        }
        if (batch.Count > 0) Send(db, key, batch);
    }

    public static double ServerCpu(IDatabase db)
    {
        var info = db.Execute("INFO", "cpu").ToString();
        double total = 0;
        foreach (var line in info.Split('\n'))
        {
            var l = line.Trim();
            if (l.StartsWith("used_cpu_sys:") || l.StartsWith("used_cpu_user:")) total += double.Parse(l.Substring(l.IndexOf(':') + 1), CultureInfo.InvariantCulture);
        }
        return total;
    }
}

/// <summary>The floor of a piped binary cmdlet: the same piped strings bound by value, nothing done.</summary>
[Cmdlet(VerbsCommunications.Write, "P3Nothing")]
public sealed class WriteP3NothingCommand : PSCmdlet
{
    [Parameter] public string Component { get; set; }
    [Parameter(Position = 0)] public string Name { get; set; }
    [Parameter(ValueFromPipeline = true, Position = 1)] public string Message { get; set; }
    protected override void ProcessRecord() { }
}
'@
Import-Module ([WriteP3NothingCommand].Assembly)

Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
Set-RedisComponentConfig -Component $Component -ConnectionString "$RedisEndpoint,defaultDatabase=$Db" -Confirm:$false
$mux = [P3Raw]::Connect($RedisEndpoint)
$db = $mux.GetDatabase($Db)
$msgs = [string[]]::new($Count)
for ($i = 0; $i -lt $Count; $i++) { $msgs[$i] = "message number $i of the bench" }

function Median($list) { ($list | Sort-Object)[[int][Math]::Floor($list.Count / 2)] }
function Rate([scriptblock] $block) {
    $clock = [Diagnostics.Stopwatch]::StartNew(); & $block; $clock.Stop()
    [pscustomobject]@{ Rate = $Count / $clock.Elapsed.TotalSeconds; Seconds = $clock.Elapsed.TotalSeconds }
}

try {
    $pipe = [Collections.Generic.List[double]]::new(); $foreachRaw = [Collections.Generic.List[double]]::new()
    $nothing = [Collections.Generic.List[double]]::new(); $array = [Collections.Generic.List[double]]::new()
    $csharp = [Collections.Generic.List[double]]::new(); $share = [Collections.Generic.List[double]]::new()
    $first = $null
    for ($r = -$Warmup; $r -lt $Repeats; $r++) {   # the rounds before 0 warm every side up
        $cpu0 = [P3Raw]::ServerCpu($db)
        $p = Rate { $msgs | Write-RedisRecentLog -Component $Component -Name p3 }
        $cpu1 = [P3Raw]::ServerCpu($db)
        $f = Rate {
            $batch = [Collections.Generic.List[string]]::new(1000)
            foreach ($m in $msgs) {
                $batch.Add($m)
                if ($batch.Count -eq 1000) { [P3Raw]::Send($db, 'recent:p3raw:info', $batch); $batch.Clear() }
            }
            if ($batch.Count) { [P3Raw]::Send($db, 'recent:p3raw:info', $batch) }
        }
        $n = Rate { $msgs | Write-P3Nothing -Component $Component -Name p3 }
        $a = if ($arrayBinding) { Rate { Write-RedisRecentLog -Component $Component -Name p3 -Message $msgs } } else { [pscustomobject]@{ Rate = [double]::NaN } } # older modules: -Message is one string
        $c = Rate { [P3Raw]::Batches($db, 'recent:p3raw:info', $msgs) }
        if ($r -eq -$Warmup) { $first = [pscustomobject]@{ Pipe = $p.Rate; Foreach = $f.Rate; Nothing = $n.Rate } }
        if ($r -lt 0) { continue }
        $pipe.Add($p.Rate); $foreachRaw.Add($f.Rate); $nothing.Add($n.Rate); $array.Add($a.Rate); $csharp.Add($c.Rate)
        $share.Add(100 * ($cpu1 - $cpu0) / $p.Seconds)
    }
    if ($db.ListLength('recent:p3:info') -ne 100) { throw 'The module did not leave 100 entries.' }
    $mp = Median $pipe; $mf = Median $foreachRaw; $mn = Median $nothing; $ma = Median $array; $mc = Median $csharp
    $row = { param($id, $scenario, $m, $b, $goal) [ordered]@{ id = $id; scenario = $scenario; module = [Math]::Round($m); baseline = [Math]::Round($b); unit = 'msgs/s'; ratio = [Math]::Round($m / $b, 3); goal = $goal } | ConvertTo-Json -Compress }
    & $row 'P3a' "$Count strings piped into Write-RedisRecentLog vs pwsh foreach + raw batches of 1000 (module/baseline; after $Warmup warm-up rounds)" $mp $mf '>= 0.9'
    & $row 'P3a' "same, the first round of a fresh process, before the runtime has optimized PowerShell's binding code (the do-nothing cmdlet then: $([Math]::Round($first.Nothing)) msgs/s; the foreach baseline runs compiled script code, which is optimized from the start)" $first.Pipe $first.Foreach 'report'
    & $row 'P3b' "same pipe vs a do-nothing binary cmdlet binding the same piped strings by value (module/floor)" $mp $mn '>= 0.5'
    if ($arrayBinding) { & $row 'P3c' "-Message with a $Count-string array (one binding) vs C# raw batches (LPUSH + LTRIM per 1000)" $ma $mc '>= 0.8' }
    [ordered]@{ id = 'P8'; scenario = 'server CPU (INFO cpu sys+user) during the piped Write-RedisRecentLog as a share of its wall time'
        module = [Math]::Round((Median $share), 1); baseline = $null; unit = '%'; ratio = $null; goal = 'report' } | ConvertTo-Json -Compress
}
finally {
    $null = $db.Execute('FLUSHDB')
    $null = $mux.GetDatabase(0).KeyDelete("config:redis:$Component")
    $mux.Dispose()
}
