<#
.SYNOPSIS
    P6: 100k counter names (1000 distinct) piped into Update-RedisCounter vs the book's update_counter commands
    batched 1000 names per MULTI from Python (redis-py), same server; plus the slowest command either side sent.
.DESCRIPTION
    The baseline is the book's code (5.2.1): for each name, ZADD known: + HINCRBY count:P:NAME for the 7
    precisions, 1000 names per MULTI/EXEC pipeline, run by /usr/bin/python3 with redis-py and timed inside
    Python (interpreter start-up excluded). Module and baseline alternate, $Repeats rounds after a warm-up,
    median per side. The SLOWLOG (threshold 1 ms) during each side's runs gives its slowest command, so
    "no command keeps Redis busy for more than 5 ms" is checked on the same runs, next to the mean time Redis
    spent per call of each side (INFO commandstats: the module's EVALSHA, the book's EXEC). Uses db 14.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $RedisEndpoint,
    [int] $Count = 100000,
    [int] $Distinct = 1000,
    [int] $Repeats = 3
)
$ErrorActionPreference = 'Stop'
$Db = 14
$Component = 'bench-p6'
$redisHost, $redisPort = $RedisEndpoint -split ':'
Import-Module $ModuleManifest
Connect-RedisConfigServer -Configuration $RedisEndpoint -RefreshSeconds 60
Set-RedisComponentConfig -Component $Component -ConnectionString "$RedisEndpoint,defaultDatabase=$Db" -Confirm:$false
$names = [string[]]::new($Count)
for ($i = 0; $i -lt $Count; $i++) { $names[$i] = "page:/item/$($i % $Distinct)" }

$python = @'
import sys, time, redis
host, port, db, count, distinct = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
PRECISION = [1, 5, 60, 300, 3600, 18000, 86400]
conn = redis.Redis(host=host, port=port, db=db)
names = ['page:/item/%d' % (i % distinct) for i in range(count)]
start = time.perf_counter()
for b in range(0, count, 1000):
    pipe = conn.pipeline(True)
    now = time.time()
    for name in names[b:b + 1000]:                 # the book's update_counter, 1000 names per MULTI
        for prec in PRECISION:
            pnow = int(now / prec) * prec
            hash = '%s:%s' % (prec, name)
            pipe.zadd('known:', {hash: 0})
            pipe.hincrby('count:' + hash, pnow, 1)
    pipe.execute()
print(count / (time.perf_counter() - start))
'@
$pyFile = Join-Path ([IO.Path]::GetTempPath()) "p6-book-$PID.py"
Set-Content -LiteralPath $pyFile -Value $python

function RedisCli { & redis-cli -h $redisHost -p $redisPort -n $Db @args }
function Median($list) { ($list | Sort-Object)[[int][Math]::Floor($list.Count / 2)] }
function SlowestMs {
    $lines = @(RedisCli SLOWLOG GET 1000)
    # redis-cli prints each entry as id, timestamp, microseconds, args...: take the 3rd line of each entry.
    $max = 0; for ($i = 2; $i -lt $lines.Count; $i++) { if ($lines[$i - 2] -match '^\d+$' -and $lines[$i - 1] -match '^\d{9,}$' -and $lines[$i] -match '^\d+$') { $max = [Math]::Max($max, [int]$lines[$i]) } }
    $max / 1000.0
}

# Mean time Redis spent per call of a command since the last CONFIG RESETSTAT (INFO commandstats), µs.
function MeanUs([string] $command) {
    $line = @(RedisCli INFO commandstats) | Where-Object { $_ -like "cmdstat_$($command):*" } | Select-Object -First 1
    if ($line -match 'usec_per_call=([\d.]+)') { [double]$Matches[1] } else { [double]::NaN }
}

try {
    $null = RedisCli CONFIG SET slowlog-log-slower-than 1000
    $module = [Collections.Generic.List[double]]::new(); $book = [Collections.Generic.List[double]]::new()
    $moduleSlow = 0.0; $bookSlow = 0.0; $moduleMean = 0.0; $bookMean = 0.0
    for ($r = -1; $r -lt $Repeats; $r++) {   # round -1 warms both sides up
        $null = RedisCli FLUSHDB; $null = RedisCli SLOWLOG RESET; $null = RedisCli CONFIG RESETSTAT
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $names | Update-RedisCounter -Component $Component
        $clock.Stop()
        $m = $Count / $clock.Elapsed.TotalSeconds
        $ms = SlowestMs
        $mu = MeanUs evalsha
        $hits = [long](RedisCli HGET "count:86400:page:/item/7" ([long][Math]::Floor([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() / 86400) * 86400))
        if ($hits -ne $Count / $Distinct) { throw "The module counted $hits hits for page:/item/7, not $($Count / $Distinct)." }

        $null = RedisCli FLUSHDB; $null = RedisCli SLOWLOG RESET; $null = RedisCli CONFIG RESETSTAT
        $b = [double](& /usr/bin/python3 $pyFile $redisHost $redisPort $Db $Count $Distinct)
        if ($LASTEXITCODE) { throw "The book's Python failed ($LASTEXITCODE)." }
        $bs = SlowestMs
        $bu = MeanUs exec
        if ($r -lt 0) { continue }
        $module.Add($m); $book.Add($b); $moduleSlow = [Math]::Max($moduleSlow, $ms); $bookSlow = [Math]::Max($bookSlow, $bs)
        $moduleMean = [Math]::Max($moduleMean, $mu); $bookMean = [Math]::Max($bookMean, $bu)
    }
    $mm = Median $module; $mb = Median $book
    [ordered]@{ id = 'P6'; scenario = "$Count names ($Distinct distinct) piped into Update-RedisCounter vs the book's update_counter from Python, 1000 names per MULTI (module/baseline)"
        module = [Math]::Round($mm); baseline = [Math]::Round($mb); unit = 'names/s'; ratio = [Math]::Round($mm / $mb, 3); goal = '>= 8' } | ConvertTo-Json -Compress
    [ordered]@{ id = 'P6'; scenario = "slowest command in SLOWLOG during the runs (ms): module vs the book's MULTI/EXEC"
        module = $moduleSlow; baseline = $bookSlow; unit = 'ms'; ratio = $null; goal = 'module <= 5 ms' } | ConvertTo-Json -Compress
    # What each call costs Redis on average: a slowest entry far above it is redis-server taken off the CPU mid-call.
    [ordered]@{ id = 'P6'; scenario = "mean time in Redis per call (INFO commandstats; highest of the runs): the module's EVALSHA vs the book's EXEC"
        module = [Math]::Round($moduleMean / 1000, 3); baseline = [Math]::Round($bookMean / 1000, 3); unit = 'ms'; ratio = $null; goal = 'report' } | ConvertTo-Json -Compress
}
finally {
    $null = RedisCli FLUSHDB
    $null = RedisCli CONFIG SET slowlog-log-slower-than 10000
    $null = & redis-cli -h $redisHost -p $redisPort -n 0 DEL "config:redis:$Component"
    Remove-Item -LiteralPath $pyFile -ErrorAction SilentlyContinue
}
