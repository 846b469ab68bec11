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

Describe 'Passwords in connection strings and credentials' {
    It 'leaves no fragment of a password in a transcript, the streams or $Error' {
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "rc-leak-$([guid]::NewGuid().ToString('N')).txt"
        $secret = ConvertTo-SecureString 'Cr3d,Pw=Xy9;tail' -AsPlainText -Force
        $cred = [pscredential]::new('nosuchuser', $secret)
        # In variables: PowerShell's own error view quotes the line that failed, and that line is the user's.
        $badSet = '127.0.0.1:7412,password=Zq7Kx,Wv9Pm=secret'
        $badConnect = '127.0.0.1:7400,password=abc,Dm2wTopSecret'
        $Error.Clear()
        Start-Transcript -Path $transcript | Out-Null
        try {
            $VerbosePreference = 'Continue'
            $out = & {
                $ErrorActionPreference = 'Continue' # the errors are what is scanned
                Set-RedisComponentConfig -Component leak -ConnectionString $badSet
                Connect-RedisConfigServer $badConnect
                Set-RedisComponentConfig -Component leakcred -Config @{ host = '127.0.0.1'; port = [int]($Endpoint -split ':')[-1]; socket_timeout = 2 } -Credential $cred -PassThru
                Test-RedisComponent leakcred
                Get-RedisComponentConfig leakcred | Format-List * | Out-String
            } *>&1 | Out-String
            $VerbosePreference = 'SilentlyContinue'
        }
        finally {
            Stop-Transcript | Out-Null
        }
        # The session still points at the test Redis (the bad Connect- was refused before it changed anything).
        (Get-RedisConfigServer).Endpoint | Should -Be $Endpoint
        $errors = $Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String } | Out-String
        $everything = $out + $errors + (Get-Content -Raw $transcript)
        $Error.Count | Should -BeGreaterOrEqual 2
        $everything | Should -Match 'ComponentConfigInvalid|InvalidConfigServerConfiguration'
        foreach ($fragment in 'Zq7Kx', 'Wv9Pm', 'Dm2wTopSecret', 'password=abc', 'Cr3d', 'Xy9;tail') {
            $everything | Should -Not -Match ([regex]::Escape($fragment))
        }
        Remove-Item $transcript -ErrorAction SilentlyContinue
        Remove-RedisComponentConfig -Component leakcred -Confirm:$false
    }
}
