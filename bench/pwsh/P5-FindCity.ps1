<#
.SYNOPSIS
    P5: 100k IPv4 addresses piped into Find-RedisCity vs the same lookups from C# with raw StackExchange.Redis.
.DESCRIPTION
    Imports 200,000 generated legacy blocks (with gaps) and 5,000 cities into database 15 of the given Redis
    through the module (component 'bench-p5'), then alternates, in this process, the module
    (`$ips | Find-RedisCity`) and a C# baseline compiled here against the StackExchange.Redis.dll shipped in
    the module folder: per batch of 1000, pipelined ZREVRANGEBYSCORE ip2cityid: <ip> -inf LIMIT 0 1, then one
    HMGET of ip2cityid:ends and one HMGET of cityid2city:, with the same gap check. With
    slowlog-log-slower-than 1000 set for the run, it also counts the commands that kept Redis busy more than
    1 ms during each side's runs, and prints (a line, not a row) which commands they were and Redis's mean time
    per call of each (INFO commandstats), so slow entries can be told from scheduling noise on a busy machine.
    Floor row: a do-nothing binary cmdlet compiled here with Find-RedisCity's parameter declarations, binding the
    same piped strings and writing one IpCity-shaped object each, timed interleaved with the others; baseline
    time + its time is what a cmdlet doing the baseline's work for free, in sequence, would take. CPU rows: per
    lookup, the CPU of the pipeline thread (getrusage RUSAGE_THREAD), of the whole process and of redis-server
    (INFO cpu) for the module, the baseline and the do-nothing cmdlet. Writes one JSON object per row; cleans up
    its database and config key.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $RedisEndpoint,
    [int] $Count = 100000,
    [int] $Blocks = 200000,
    [int] $Repeats = 3
)
$ErrorActionPreference = 'Stop'
$Db = 15
$Component = 'bench-p5'
Import-Module $ModuleManifest

$moduleDir = Split-Path -Parent (Resolve-Path $ModuleManifest)
. (Join-Path $PSScriptRoot 'RawClient.ps1')
$seDll = Import-BenchRawClient $moduleDir
$refs = @($seDll.FullName) + @(Get-ChildItem -LiteralPath $seDll.DirectoryName -Filter 'Microsoft.Extensions.*.dll' | ForEach-Object FullName) +
    @('System.Runtime', 'System.Collections', 'System.Linq', 'System.Threading.Tasks', 'System.Net.Primitives', 'netstandard')
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $refs -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

public static class P5Baseline
{
    public static ConnectionMultiplexer Connect(string endpoint) => ConnectionMultiplexer.Connect(endpoint);

    public static object Send(ConnectionMultiplexer mux, int db, string command, params object[] args) => mux.GetDatabase(db).Execute(command, args).ToString();

    /// <summary>used_cpu_sys + used_cpu_user of the server (INFO cpu), in seconds.</summary>
    public static double ServerCpu(ConnectionMultiplexer mux)
    {
        var info = mux.GetDatabase(0).Execute("INFO", "cpu").ToString()!;
        var total = 0.0;
        foreach (var line in info.Split('\n'))
        {
            var l = line.Trim();
            if (l.StartsWith("used_cpu_sys:") || l.StartsWith("used_cpu_user:")) total += double.Parse(l.Substring(l.IndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return total;
    }

    /// <summary>process_id of INFO server (the benchmark's redis-server runs on this machine).</summary>
    public static int ServerPid(ConnectionMultiplexer mux)
    {
        foreach (var line in mux.GetDatabase(0).Execute("INFO", "server").ToString()!.Split('\n'))
        {
            if (line.StartsWith("process_id:")) return int.Parse(line.Substring(11).Trim());
        }
        return 0;
    }

    /// <summary>INFO commandstats: calls and usec per command (lower case), since the last CONFIG RESETSTAT.</summary>
    public static Dictionary<string, double[]> CommandStats(ConnectionMultiplexer mux)
    {
        var stats = new Dictionary<string, double[]>();
        foreach (var line in mux.GetDatabase(0).Execute("INFO", "commandstats").ToString()!.Split('\n'))
        {
            var l = line.Trim();
            if (!l.StartsWith("cmdstat_")) continue;
            var name = l.Substring(8, l.IndexOf(':') - 8);
            double calls = 0, usec = 0;
            foreach (var pair in l.Substring(l.IndexOf(':') + 1).Split(','))
            {
                var kv = pair.Split('=');
                if (kv[0] == "calls") calls = double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture);
                if (kv[0] == "usec") usec = double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            stats[name] = new[] { calls, usec };
        }
        return stats;
    }

    public static string ConfigGet(ConnectionMultiplexer mux, string name) => ((RedisResult[])mux.GetDatabase(0).Execute("CONFIG", "GET", name)!)[1].ToString()!;

    public static string[] SlowLog(ConnectionMultiplexer mux, int db)
    {
        var entries = (RedisResult[])mux.GetDatabase(db).Execute("SLOWLOG", "GET", "1000")!;
        var lines = new List<string>();
        foreach (var e in entries)
        {
            var parts = (RedisResult[])e!;
            var args = (RedisResult[])parts[3]!;
            lines.Add(((long)parts[2]).ToString() + " us: " + (string?)args[0]);
        }
        return lines.ToArray();
    }

    /// <summary>The book's find_city_by_ip, pipelined per batch of 1000, with the module's gap check; returns how many got a city.</summary>
    public static int Lookup(ConnectionMultiplexer mux, int dbIndex, string[] ips)
    {
        var db = mux.GetDatabase(dbIndex);
        var found = 0;
        for (var at = 0; at < ips.Length; at += 1000)
        {
            var n = Math.Min(1000, ips.Length - at);
            var scores = new uint[n];
            var ranges = new Task<RedisValue[]>[n];
            for (var i = 0; i < n; i++)
            {
                var p = ips[at + i].Split('.');
                scores[i] = uint.Parse(p[0]) << 24 | uint.Parse(p[1]) << 16 | uint.Parse(p[2]) << 8 | uint.Parse(p[3]);
                ranges[i] = db.SortedSetRangeByScoreAsync("ip2cityid:", double.NegativeInfinity, scores[i], Exclude.None, Order.Descending, 0, 1);
            }
            Task.WaitAll(ranges);
            var members = new List<RedisValue>(n);
            var ids = new List<RedisValue>(n);
            var which = new List<int>(n);
            for (var i = 0; i < n; i++)
            {
                var r = ranges[i].Result;
                if (r.Length == 0) continue;
                var member = r[0].ToString();
                members.Add(member);
                ids.Add(member.Substring(0, member.IndexOf('_')));
                which.Add(i);
            }
            if (members.Count == 0) continue;
            var ends = db.HashGetAsync("ip2cityid:ends", members.ToArray());
            var cities = db.HashGetAsync("cityid2city:", ids.ToArray());
            Task.WaitAll(ends, cities);
            for (var k = 0; k < which.Count; k++)
            {
                if (!cities.Result[k].IsNull && (ends.Result[k].IsNull || scores[which[k]] <= (long)ends.Result[k])) found++;
            }
        }
        return found;
    }
}
'@

# The floor cmdlet (Find-P5Nothing) and the pipeline thread's CPU clock (P5Cpu).
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -Path (Join-Path $PSScriptRoot 'P5Floor.cs')
Import-Module ([FindP5NothingCommand].Assembly)

$mux = [P5Baseline]::Connect($RedisEndpoint)
$tmp = Join-Path ([IO.Path]::GetTempPath()) ("bench-p5-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $tmp | Out-Null
$oldSlower = $null
try {
    # Data: legacy blocks with a gap after every block, 5000 cities.
    $rand = [Random]::new(5)
    $blocksPath = Join-Path $tmp 'blocks.csv'
    $w = [IO.StreamWriter]::new($blocksPath)
    $w.WriteLine('startIpNum,endIpNum,locId')
    [long] $start = 16777216
    for ($i = 0; $i -lt $Blocks; $i++) {
        $len = $rand.Next(16, 4096); $end = $start + $len - 1
        $w.WriteLine("$start,$end,$($i % 5000 + 1)")
        $start = $end + 1 + $rand.Next(0, 512)
    }
    $w.Close()
    $lastAddress = $start
    $citiesPath = Join-Path $tmp 'cities.csv'
    $w = [IO.StreamWriter]::new($citiesPath)
    $w.WriteLine('locId,country,region,city')
    for ($i = 1; $i -le 5000; $i++) { $w.WriteLine("$i,US,CA,City $i") }
    $w.Close()

    Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
    Set-RedisComponentConfig -Component $Component -ConnectionString "$RedisEndpoint,defaultDatabase=$Db" -Confirm:$false
    $null = [P5Baseline]::Send($mux, $Db, 'FLUSHDB')
    $null = Import-RedisIpBlock -Component $Component -Path $blocksPath
    $null = Import-RedisCityLocation -Component $Component -Path $citiesPath

    $ips = [string[]]::new($Count)
    for ($i = 0; $i -lt $Count; $i++) {
        $a = [uint32]$rand.NextInt64(16777216, $lastAddress)
        $ips[$i] = '{0}.{1}.{2}.{3}' -f ($a -shr 24), (($a -shr 16) -band 255), (($a -shr 8) -band 255), ($a -band 255)
    }

    $oldSlower = [P5Baseline]::ConfigGet($mux, 'slowlog-log-slower-than')
    $null = [P5Baseline]::Send($mux, 0, 'CONFIG', 'SET', 'slowlog-log-slower-than', '1000')

    $found = 0; $rawFound = 0
    $module = [Collections.Generic.List[double]]::new(); $raw = [Collections.Generic.List[double]]::new(); $nothing = [Collections.Generic.List[double]]::new()
    $moduleSlow = [Collections.Generic.List[string]]::new(); $rawSlow = [Collections.Generic.List[string]]::new()
    # CPU per lookup (µs) of this pipeline thread, of the whole process and of redis-server, per side.
    $cpu = @{}
    foreach ($side in 'module', 'raw', 'nothing') { $cpu[$side] = @{ thread = [Collections.Generic.List[double]]::new(); process = [Collections.Generic.List[double]]::new(); server = [Collections.Generic.List[double]]::new() } }
    # Redis's own time per command (INFO commandstats, reset before each side) against the SLOWLOG entries.
    $stats = @{ module = @{}; raw = @{} }
    function Add-CommandStats([string] $Side) {
        foreach ($e in ([P5Baseline]::CommandStats($mux)).GetEnumerator()) {
            if (-not $stats[$Side].ContainsKey($e.Key)) { $stats[$Side][$e.Key] = [double[]]@(0, 0) }
            $stats[$Side][$e.Key][0] += $e.Value[0]; $stats[$Side][$e.Key][1] += $e.Value[1]
        }
    }
    # Times the kernel took the CPU from redis-server (preempted it), per side.
    $serverStatus = "/proc/$([P5Baseline]::ServerPid($mux))/status"
    function Get-Preempted { if (Test-Path $serverStatus) { [long]((Get-Content $serverStatus | Where-Object { $_ -like 'nonvoluntary_ctxt_switches*' }) -split '\s+')[1] } else { 0 } }
    $preempted = @{ module = 0; raw = 0 }
    $me = [Diagnostics.Process]::GetCurrentProcess()
    function Measure-Side([string] $Side, [scriptblock] $Work) {
        $me.Refresh(); $x0 = Get-Preempted
        $t0 = [P5Cpu]::ThreadSeconds(); $p0 = $me.TotalProcessorTime.TotalSeconds; $s0 = [P5Baseline]::ServerCpu($mux)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = & $Work
        $clock.Stop()
        $t1 = [P5Cpu]::ThreadSeconds(); $me.Refresh(); $p1 = $me.TotalProcessorTime.TotalSeconds; $s1 = [P5Baseline]::ServerCpu($mux)
        if ($preempted.ContainsKey($Side)) { $preempted[$Side] += (Get-Preempted) - $x0 }
        $cpu[$Side].thread.Add(($t1 - $t0) * 1e6 / $Count); $cpu[$Side].process.Add(($p1 - $p0) * 1e6 / $Count); $cpu[$Side].server.Add(($s1 - $s0) * 1e6 / $Count)
        [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Result = $result }
    }
    # A warm-up of each, then interleave so load from elsewhere hits all alike.
    $null = $ips | Find-RedisCity -Component $Component -ErrorAction SilentlyContinue
    $null = [P5Baseline]::Lookup($mux, $Db, $ips)
    $null = $ips | Find-P5Nothing -Component $Component
    for ($r = 0; $r -lt $Repeats; $r++) {
        $null = [P5Baseline]::Send($mux, 0, 'SLOWLOG', 'RESET'); $null = [P5Baseline]::Send($mux, 0, 'CONFIG', 'RESETSTAT')
        $side = Measure-Side module { $out = $ips | Find-RedisCity -Component $Component -ErrorAction SilentlyContinue; $out.Count }
        $found = $side.Result
        $module.Add($Count / $side.Seconds)
        $moduleSlow.AddRange([string[]][P5Baseline]::SlowLog($mux, 0)); Add-CommandStats module

        $null = [P5Baseline]::Send($mux, 0, 'SLOWLOG', 'RESET'); $null = [P5Baseline]::Send($mux, 0, 'CONFIG', 'RESETSTAT')
        $side = Measure-Side raw { [P5Baseline]::Lookup($mux, $Db, $ips) }
        $rawFound = $side.Result
        $raw.Add($Count / $side.Seconds)
        $rawSlow.AddRange([string[]][P5Baseline]::SlowLog($mux, 0)); Add-CommandStats raw

        $side = Measure-Side nothing { $out = $ips | Find-P5Nothing -Component $Component; $out.Count }
        if ($side.Result -ne $Count) { throw "The floor cmdlet wrote $($side.Result) objects, not $Count." }
        $nothing.Add($Count / $side.Seconds)
    }
    if ($found -ne $rawFound) { throw "The module found $found cities, the baseline $rawFound." }
    $m = ($module | Sort-Object)[[int][Math]::Floor($module.Count / 2)]
    $b = ($raw | Sort-Object)[[int][Math]::Floor($raw.Count / 2)]
    [ordered]@{
        id = 'P5'; scenario = "Find-RedisCity, $Count piped IPv4 addresses ($found found) vs C# raw pipelined ZREVRANGEBYSCORE + HMGET ends + HMGET cities per 1000 (module/baseline, median of $Repeats in this process)"
        module = [Math]::Round($m); baseline = [Math]::Round($b); unit = 'lookups/s'; ratio = [Math]::Round($m / $b, 3); goal = '>= 1.0'
    } | ConvertTo-Json -Compress
    $n = ($nothing | Sort-Object)[[int][Math]::Floor($nothing.Count / 2)]
    # Floor: the raw work for free plus what PowerShell charges for piping the addresses in and the objects out.
    $floor = 1 / (1 / $b + 1 / $n)
    [ordered]@{
        id = 'P5'; scenario = "floor: baseline time + a do-nothing cmdlet with Find-RedisCity's parameters binding the $Count piped strings and writing one IpCity-shaped object each ($([Math]::Round($n)) /s alone) vs the baseline, the best ratio a cmdlet doing the baseline's work for free in sequence could reach"
        module = [Math]::Round($floor); baseline = [Math]::Round($b); unit = 'lookups/s'; ratio = [Math]::Round($floor / $b, 3); goal = 'report'
    } | ConvertTo-Json -Compress
    function Get-Median($list) { ($list | Sort-Object)[[int][Math]::Floor($list.Count / 2)] }
    foreach ($what in @(
            @{ key = 'thread'; name = 'CPU of the pipeline thread (getrusage RUSAGE_THREAD)'; other = 'nothing'; otherName = 'the do-nothing cmdlet' },
            @{ key = 'thread'; name = 'CPU of the pipeline thread (getrusage RUSAGE_THREAD)'; other = 'raw'; otherName = 'the baseline (its calling thread)' },
            @{ key = 'process'; name = 'CPU of the whole pwsh process'; other = 'raw'; otherName = 'the baseline' },
            @{ key = 'process'; name = 'CPU of the whole pwsh process'; other = 'nothing'; otherName = 'the do-nothing cmdlet' },
            @{ key = 'server'; name = 'CPU of redis-server (INFO cpu)'; other = 'raw'; otherName = 'the baseline' })) {
        $mv = Get-Median $cpu.module[$what.key]; $ov = Get-Median $cpu[$what.other][$what.key]
        [ordered]@{
            id = 'P5'; scenario = "$($what.name) per lookup, median of $Repeats in this process: module vs $($what.otherName)"
            module = [Math]::Round($mv, 2); baseline = [Math]::Round($ov, 2); unit = 'µs CPU/lookup'; ratio = if ($ov -gt 0) { [Math]::Round($mv / $ov, 3) } else { $null }; goal = 'report'
        } | ConvertTo-Json -Compress
    }
    # Not a row (Run-Bench prints it per run): which commands were slow, and Redis's mean time per call of each.
    function Format-Slow($entries) {
        $by = @($entries | ForEach-Object { ($_ -split ': ', 2)[1] } | Group-Object | Sort-Object Count -Descending | ForEach-Object { "$($_.Name) x$($_.Count)" }) -join ', '
        $max = ($entries | ForEach-Object { [double](($_ -split ' ', 2)[0]) } | Measure-Object -Maximum).Maximum
        if ($by) { "$by (longest $([Math]::Round($max / 1000, 1)) ms)" } else { 'none' }
    }
    function Format-Mean($side) {
        @('zrevrangebyscore', 'hmget', 'get' | Where-Object { $stats[$side].ContainsKey($_) } | ForEach-Object {
                $c = $stats[$side][$_]; "$_ $($c[0]) calls, mean $([Math]::Round($c[1] / $c[0], 2)) us" }) -join '; '
    }
    "P5 slow commands: module [$(Format-Slow $moduleSlow)] vs baseline [$(Format-Slow $rawSlow)]; Redis per call (INFO commandstats): module [$(Format-Mean module)] vs baseline [$(Format-Mean raw)]; redis-server preempted (nonvoluntary_ctxt_switches): module $($preempted.module) vs baseline $($preempted.raw) times"
    [ordered]@{
        id = 'P5'; scenario = "commands over 1 ms in SLOWLOG (slowlog-log-slower-than 1000) during $Repeats x $Count lookups: module [$(($moduleSlow | Select-Object -First 3) -join '; ')] vs baseline"
        module = $moduleSlow.Count; baseline = $rawSlow.Count; unit = 'commands'; ratio = $null; goal = '0'
    } | ConvertTo-Json -Compress
}
finally {
    if ($oldSlower) { $null = [P5Baseline]::Send($mux, 0, 'CONFIG', 'SET', 'slowlog-log-slower-than', $oldSlower) }
    $null = [P5Baseline]::Send($mux, $Db, 'FLUSHDB')
    $null = [P5Baseline]::Send($mux, 0, 'DEL', "config:redis:$Component")
    $mux.Dispose()
    Remove-Item -LiteralPath $tmp -Recurse -Force
}
