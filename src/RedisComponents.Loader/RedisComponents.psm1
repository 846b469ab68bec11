# The module's root (issue 13, dependency isolation). PowerShell loads only RedisComponents.Loader.dll (no
# dependencies) into the default load context; the engine (RedisComponents.PowerShell.dll, the cmdlets) and
# StackExchange.Redis & co. load from dependencies/ into the module's own load context, once per process.
# Another module may ship any other StackExchange.Redis beside this one, imported before or after it.
$loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'RedisComponents.Loader.dll'))
$engine = $loader.GetType('RedisComponents.Loader.EngineLoadContext', $true)::LoadEngine($PSScriptRoot)
# Import-Module -Force leaves the engine's previous binary module in this session's module table, and
# Import-Module -Assembly would then hand back that stale module without exporting its cmdlets here again.
Get-Module -All | Where-Object { $_.ImplementingAssembly -eq $engine } | Remove-Module -Force
Import-Module -Assembly $engine -ErrorAction Stop
Export-ModuleMember -Cmdlet *
