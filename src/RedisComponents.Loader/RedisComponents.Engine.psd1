# The engine's manifest, published into dependencies/ beside RedisComponents.PowerShell.dll and imported as the
# second nested module of RedisComponents.psd1. Its RootModule is an assembly name, not a file: PowerShell
# loads it by name, and RedisComponents.Loader (the first nested module) resolves that name into the module's
# own load context. The outer manifest decides what is exported.
@{
    RootModule        = 'RedisComponents.PowerShell, Culture=neutral'
    ModuleVersion     = '0.1.0'
    GUID              = '9d41c2a7-6e3b-4f85-b0d2-71a8c5e94f36'
    CmdletsToExport   = '*'
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
