BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
    $Component = New-TestComponent
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Update-RedisCounter / Get-RedisCounter' {
    It 'counts hits per precision slot, oldest sample first' {
        $name = New-TestName 'hits'
        $t = [datetime]::new(2024, 3, 1, 12, 0, 7, [DateTimeKind]::Utc)
        Update-RedisCounter -Component $Component -Name $name -Count 3 -Timestamp $t
        Update-RedisCounter -Component $Component $name -Timestamp $t.AddSeconds(-6)

        $samples = Get-RedisCounter -Component $Component -Name $name -Precision 5
        $samples.Count | Should -Be 2
        $samples[0].Time | Should -Be $t.AddSeconds(-7)
        $samples[0].Count | Should -Be 1
        $samples[1].Count | Should -Be 3
        $samples[1].Timestamp | Should -Be ([DateTimeOffset]$t.AddSeconds(-2)).ToUnixTimeSeconds()
        (Get-RedisCounter -Component $Component $name -Precision 86400).Count | Should -Be 4
    }

    It 'takes names from the pipeline' {
        $name = New-TestName 'piped'
        1..2500 | ForEach-Object { $name } | Update-RedisCounter -Component $Component
        (Get-RedisCounter -Component $Component $name -Precision 86400 | Measure-Object Count -Sum).Sum | Should -Be 2500
    }

    It 'refuses counts below 1, empty names and unknown precisions' {
        { Update-RedisCounter -Component $Component -Name x -Count 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Update-RedisCounter -Component $Component -Name '' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Get-RedisCounter -Component $Component -Name x -Precision 7 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'writes nothing with -WhatIf' {
        $name = New-TestName 'whatif'
        Update-RedisCounter -Component $Component -Name $name -WhatIf
        Get-RedisCounter -Component $Component $name -Precision 1 | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-RedisCounterCleanup' {
    It 'removes old samples and forgets empty counters, keeping live ones' {
        $gone = New-TestName 'gone'
        $kept = New-TestName 'kept'
        Update-RedisCounter -Component $Component -Name $gone -Timestamp ([datetime]::UtcNow.AddDays(-400))
        Update-RedisCounter -Component $Component -Name $kept

        $result = Invoke-RedisCounterCleanup -Component $Component -Confirm:$false
        $result.Pass | Should -Be 0
        $result.RemovedCounters | Should -Contain "5:$gone"
        $result.RemovedCounters | Should -Not -Contain "5:$kept"
        Get-RedisCounter -Component $Component $gone -Precision 86400 | Should -BeNullOrEmpty
        (Get-RedisCounter -Component $Component $kept -Precision 1).Count | Should -Be 1
    }

    It 'changes nothing with -WhatIf' {
        $old = New-TestName 'old'
        Update-RedisCounter -Component $Component -Name $old -Timestamp ([datetime]::UtcNow.AddDays(-400))
        Invoke-RedisCounterCleanup -Component $Component -WhatIf | Out-Null
        (Get-RedisCounter -Component $Component $old -Precision 86400).Count | Should -Be 1
    }

    It 'runs continuously until stopped, without waiting out the interval' {
        $job = Start-ThreadJob -ScriptBlock {
            param($manifest, $endpoint, $component)
            Import-Module $manifest
            Connect-RedisConfigServer -Configuration $endpoint -RefreshSeconds 0
            Invoke-RedisCounterCleanup -Component $component -Continuous -IntervalSeconds 60 -Confirm:$false
        } -ArgumentList (Join-Path (Get-Module RedisComponents).ModuleBase 'RedisComponents.psd1'), $Endpoint, $Component
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while (-not $job.HasMoreData -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $elapsed = Measure-Command { Stop-Job $job }
        $elapsed.TotalSeconds | Should -BeLessThan 5
        (Receive-Job $job | Select-Object -First 1).Pass | Should -Be 0
        Remove-Job $job -Force
    }
}
