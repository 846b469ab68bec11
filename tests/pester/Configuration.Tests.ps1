BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Set-RedisComponentConfig / Get-RedisComponentConfig / Remove-RedisComponentConfig' {
    It 'stores the book''s JSON under config:redis:NAME and reads it back' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -Config @{ host = '127.0.0.1'; port = 6380; db = 2 }
        $config = Get-RedisComponentConfig -Component $name
        $config.Key | Should -Be "config:redis:$name"
        $config.Config.port | Should -Be 6380
        $config.Config.db | Should -Be 2
    }

    It 'converts a connection string into redis-py arguments' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -ConnectionString 'cache01:6390,defaultDatabase=3'
        $config = Get-RedisComponentConfig -Component $name
        $config.Config.host | Should -Be 'cache01'
        $config.Config.port | Should -Be 6390
        $config.Config.db | Should -Be 3
    }

    It 'masks the password unless -AsPlainText' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -Config @{ host = 'h'; port = 6379; password = 's3cr,et' }
        (Get-RedisComponentConfig -Component $name).Config.password | Should -Be '********'
        (Get-RedisComponentConfig -Component $name -AsPlainText).Config.password | Should -Be 's3cr,et'
        (Get-RedisComponentConfig -Component $name | Out-String) | Should -Not -Match 's3cr,et'
    }

    It 'rejects an invalid port with ComponentConfigInvalid' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -Config @{ host = 'h'; port = 70000 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ComponentConfigInvalid*'
        Get-RedisComponentConfig -Component $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -ConnectionString 'h:1' -WhatIf
        Get-RedisComponentConfig -Component $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'lists components with wildcards' {
        $prefix = New-TestName 'list'
        Set-RedisComponentConfig -Component "$prefix-a" -ConnectionString 'h:1'
        Set-RedisComponentConfig -Component "$prefix-b" -ConnectionString 'h:2'
        (Get-RedisComponentConfig -Component "$prefix-*").Component | Sort-Object | Should -Be @("$prefix-a", "$prefix-b")
    }

    It 'removes a config, and reports a missing one as ComponentConfigNotFound' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -ConnectionString 'h:1'
        Remove-RedisComponentConfig -Component $name -Confirm:$false
        Get-RedisComponentConfig -Component $name -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ComponentConfigNotFound*'
    }
}

Describe 'Connect-RedisConfigServer' {
    It 'returns the config server without a password' {
        $info = Connect-RedisConfigServer -Configuration "$Endpoint,password=" -RefreshSeconds 0 -PassThru
        $info.Endpoint | Should -Be $Endpoint
        $info.RefreshSeconds | Should -Be 0
    }

    It 'rejects an unparsable configuration' {
        Connect-RedisConfigServer -Configuration 'redis://:pw@/nohost' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidConfigServerConfiguration*'
        "$($err[0])" | Should -Not -Match 'pw@'
        Connect-RedisConfigServer -Configuration $Endpoint -RefreshSeconds 0
    }
}

Describe 'Maintenance flag' {
    AfterEach { Disable-RedisMaintenance -Confirm:$false }

    It 'is off, then on after Enable-RedisMaintenance, then off again' {
        Disable-RedisMaintenance -Confirm:$false
        Test-RedisMaintenance | Should -BeFalse
        Enable-RedisMaintenance -Confirm:$false
        Test-RedisMaintenance | Should -BeTrue
        Disable-RedisMaintenance -Confirm:$false
        Test-RedisMaintenance | Should -BeFalse
    }
}
