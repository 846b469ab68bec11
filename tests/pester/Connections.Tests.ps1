BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Test-RedisComponent' {
    It 'reports a configured component as reachable' {
        $name = New-TestComponent
        $result = Test-RedisComponent -Component $name
        $result.Reachable | Should -BeTrue
        $result.LatencyMs | Should -BeGreaterOrEqual 0
        $result.Endpoint | Should -Be $Endpoint
    }

    It 'returns one bool per component with -Quiet' {
        $name = New-TestComponent
        Test-RedisComponent -Component $name -Quiet | Should -BeTrue
        Test-RedisComponent -Component (New-TestName 'missing') -Quiet | Should -BeFalse
    }

    It 'takes component names from the pipeline' {
        $names = (New-TestComponent), (New-TestComponent)
        ($names | Test-RedisComponent -Quiet) | Should -Be @($true, $true)
    }

    It 'says a component is unreachable without hanging' {
        $name = New-TestName
        Set-RedisComponentConfig -Component $name -Config @{ host = '127.0.0.1'; port = 1; socket_connect_timeout = 1; socket_timeout = 1 }
        $elapsed = Measure-Command { $result = Test-RedisComponent -Component $name }
        $result.Reachable | Should -BeFalse
        $result.Error | Should -Match $name
        $elapsed.TotalSeconds | Should -BeLessThan 15
    }
}

Describe 'Get-RedisComponentConnection / Disconnect-RedisComponent' {
    It 'lists resolved connections without secrets and forgets them' {
        $name = New-TestComponent
        Test-RedisComponent -Component $name -Quiet | Should -BeTrue
        $connection = Get-RedisComponentConnection -Component $name
        $connection.Component | Should -Be $name
        $connection.Endpoint | Should -Be $Endpoint
        $connection.IsConnected | Should -BeTrue
        Disconnect-RedisComponent -Component $name
        Get-RedisComponentConnection -Component $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a missing config with ComponentConfigNotFound' {
        $missing = New-TestName 'missing'
        $result = Test-RedisComponent -Component $missing
        $result.Reachable | Should -BeFalse
        $result.Error | Should -Match "config:redis:$missing"
    }
}

Describe 'Get-RedisConfigServer' {
    It 'shows the config server in use, and when it was last read' {
        $name = New-TestComponent
        Test-RedisComponent -Component $name -Quiet | Should -BeTrue
        $server = Get-RedisConfigServer
        $server.Endpoint | Should -Be $Endpoint
        $server.RefreshSeconds | Should -Be 0
        $server.IsConnected | Should -BeTrue
        $server.LastReadAt | Should -Not -BeNullOrEmpty
    }

    It 'keeps the cached connections when connecting again to the same server' {
        $name = New-TestComponent
        Test-RedisComponent -Component $name -Quiet | Should -BeTrue
        Connect-RedisConfigServer -Configuration $Endpoint -RefreshSeconds 0
        (Get-RedisComponentConnection | Where-Object Component -EQ $name) | Should -Not -BeNullOrEmpty
        (Get-RedisConfigServer).Endpoint | Should -Be $Endpoint
    }
}
