BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
    $Component = New-TestComponent
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Measure-RedisAccessTime' {
    It 'runs the block in the caller scope, passes its output on and records the time' {
        $context = New-TestName 'ctx'
        $output = Measure-RedisAccessTime -Component $Component -Context $context { $inside = 42; 'a'; 'b' }
        $output | Should -Be @('a', 'b')
        $inside | Should -Be 42
        $stats = Get-RedisStatistic -Component $Component -Context $context -Type AccessTime
        $stats.Count | Should -Be 1
        $stats.Sum | Should -BeGreaterOrEqual 0
    }

    It 'records a block that throws, then rethrows its error' {
        $context = New-TestName 'failing'
        { Measure-RedisAccessTime -Component $Component -Context $context { throw 'boom' } } | Should -Throw 'boom'
        (Get-RedisStatistic -Component $Component -Context $context -Type AccessTime).Count | Should -Be 1
    }
}

Describe 'Get-RedisAccessTime' {
    It 'lists contexts slowest first' {
        $slow = New-TestName 'slow'
        $fast = New-TestName 'fast'
        Measure-RedisAccessTime -Component $Component -Context $slow { Start-Sleep -Milliseconds 300 }
        Measure-RedisAccessTime -Component $Component -Context $fast { }
        $all = Get-RedisAccessTime -Component $Component
        $slowEntry = $all | Where-Object Context -EQ $slow
        $fastEntry = $all | Where-Object Context -EQ $fast
        $slowEntry.Rank | Should -BeLessThan $fastEntry.Rank
        $slowEntry.AverageSeconds | Should -BeGreaterOrEqual 0.3
        (Get-RedisAccessTime -Component $Component -Top 1).Count | Should -Be 1
    }
}
