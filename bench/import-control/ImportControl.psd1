@{
    RootModule        = 'ImportControl.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0b6f1f8e-4c2a-4d0e-9a61-7c3e2b9d5f10'
    FormatsToProcess  = @('ImportControl.format.ps1xml')
    CmdletsToExport   = @('Get-ImportControl')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
