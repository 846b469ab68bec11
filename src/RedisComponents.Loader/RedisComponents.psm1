# The module's root (issue 13, dependency isolation). PowerShell loads only RedisComponents.Loader.dll (no
# dependencies) into the default load context; the engine (RedisComponents.PowerShell.dll, the cmdlets) and
# StackExchange.Redis & co. load from dependencies/ into the module's own load context, once per process.
# Another module may ship any other StackExchange.Redis beside this one, imported before or after it.
$loadContext = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'RedisComponents.Loader.dll')).GetType('RedisComponents.Loader.EngineLoadContext', $true)
$reimport = $loadContext::IsLoaded
$engine = $loadContext::LoadEngine($PSScriptRoot)
if ($reimport) {
    # Import-Module -Force leaves the engine's previous binary module in this session's module table, and
    # Import-Module -Assembly would then hand back that stale module without exporting its cmdlets here again.
    foreach ($stale in Get-Module -All) {
        if ($stale.ImplementingAssembly -eq $engine) { Remove-Module -ModuleInfo $stale -Force }
    }
}
# The nested module's cmdlets are exported (no Export-ModuleMember: the manifest's CmdletsToExport decides).
Import-Module -Assembly $engine -ErrorAction Stop
