@{
    # Dependency isolation (issue 13): no root module. First the loader (framework and PowerShell references
    # only), which makes the engine's assembly name resolve from dependencies/ into the module's own load
    # context; then the engine's own manifest there, whose RootModule is that assembly name.
    NestedModules        = @('RedisComponents.Loader.dll', 'dependencies/RedisComponents.Engine.psd1')
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '5f0c7d9e-3b8a-4c61-9a57-2d4e8f1b6c30'
    Author               = 'RedisComponents contributors'
    CompanyName          = 'RedisComponents'
    Copyright            = '(c) RedisComponents contributors. MIT License.'
    Description          = 'Redis in Action chapter 5 as PowerShell cmdlets: recent and common logs, counters, statistics, access times, IP-to-city lookup, and configuration / service discovery with automatic per-component connection management.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('RedisComponents.format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Connect-RedisConfigServer'
        'Set-RedisComponentConfig'
        'Get-RedisComponentConfig'
        'Remove-RedisComponentConfig'
        'Get-RedisComponentConnection'
        'Get-RedisConfigServer'
        'Disconnect-RedisComponent'
        'Test-RedisComponent'
        'Enable-RedisMaintenance'
        'Disable-RedisMaintenance'
        'Test-RedisMaintenance'
        'Write-RedisRecentLog'
        'Get-RedisRecentLog'
        'Write-RedisCommonLog'
        'Get-RedisCommonLog'
        'Update-RedisCounter'
        'Get-RedisCounter'
        'Invoke-RedisCounterCleanup'
        'Update-RedisStatistic'
        'Get-RedisStatistic'
        'Measure-RedisAccessTime'
        'Get-RedisAccessTime'
        'Import-RedisIpBlock'
        'Import-RedisCityLocation'
        'Find-RedisCity'
        'Invoke-RedisComponentCommand'
        'Get-RedisComponentDatabase'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Redis', 'RedisInAction', 'Logging', 'Counters', 'Statistics', 'GeoIP', 'Configuration', 'ServiceDiscovery', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/RedisComponents/RedisComponents'
            ReleaseNotes = @'
0.1.0 - first release.
- Config server and automatic per-component connection management (Redis in Action 5.4): pooled,
  reference-counted multiplexers, refresh interval, stable error ids, bounded waits, no password leaks.
'@
        }
    }
}
