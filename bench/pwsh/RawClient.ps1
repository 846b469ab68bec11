# Dot-sourced by the bench scenarios whose baselines use raw StackExchange.Redis from this pwsh: loads the
# client of the module folder into the default load context. With the isolated layout the module's own copy
# lives in its load context (dependencies/), so the copies there are loaded here too, dependencies first.
# Returns the StackExchange.Redis.dll file it loaded. Not a scenario (Run-Bench runs P*.ps1 only).
function Import-BenchRawClient([string] $ModuleDirectory) {
    $se = Get-ChildItem -LiteralPath $ModuleDirectory -Recurse -Filter StackExchange.Redis.dll | Select-Object -First 1
    foreach ($dll in @(Get-ChildItem -LiteralPath $se.DirectoryName -Filter '*.dll' | Where-Object { $_.Name -notlike 'RedisComponents*' -and $_.Name -ne 'StackExchange.Redis.dll' -and $_.Name -ne 'CsvHelper.dll' }) + $se) {
        try { Add-Type -Path $dll.FullName } catch { Write-Verbose "not loaded: $($dll.Name): $_" }
    }
    $se
}
