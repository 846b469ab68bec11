BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
    $Component = New-TestComponent
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Update-RedisStatistic / Get-RedisStatistic' {
    It 'records piped values and reports count, sum, min, max, average and stddev' {
        $context = New-TestName 'page'
        1, 2, 3, 4 | Update-RedisStatistic -Component $Component -Context $context -Type Bytes
        Update-RedisStatistic -Component $Component -Context $context -Type Bytes -Value 10

        $stats = Get-RedisStatistic -Component $Component -Context $context -Type Bytes
        $stats.Count | Should -Be 5
        $stats.Sum | Should -Be 20
        $stats.SumOfSquares | Should -Be 130
        $stats.Min | Should -Be 1
        $stats.Max | Should -Be 10
        $stats.Average | Should -Be 4
        [math]::Abs($stats.StdDev - [math]::Sqrt((130 - 400 / 5) / 4)) | Should -BeLessThan 1e-9
    }

    It 'returns the statistics after the write with -PassThru' {
        $context = New-TestName 'passthru'
        $after = Update-RedisStatistic -Component $Component -Context $context -Type t -Value 7 -PassThru
        $after.Count | Should -Be 1
        $after.Key | Should -Be "stats:${context}:t"
    }

    It 'returns nothing, without an error, for statistics that do not exist (the rule of every data Get-*)' {
        $context = New-TestName 'missing'
        $result = Get-RedisStatistic -Component $Component -Context $context -Type t -ErrorVariable err
        $result | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
        Get-RedisStatistic $Component $context t -Previous -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
        Get-RedisCounter $Component (New-TestName 'nocounter') 60 -ErrorVariable err3 | Should -BeNullOrEmpty
        Get-RedisRecentLog $Component (New-TestName 'nolog') -ErrorVariable err4 | Should -BeNullOrEmpty
        Get-RedisCommonLog $Component (New-TestName 'nolog') -ErrorVariable err5 | Should -BeNullOrEmpty
        @($err3) + @($err4) + @($err5) | Should -BeNullOrEmpty
    }

    It 'refuses negative, NaN and non-numeric values' {
        { Update-RedisStatistic -Component $Component -Context c -Type t -Value -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Update-RedisStatistic -Component $Component -Context c -Type t -Value ([double]::NaN) -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Update-RedisStatistic -Component $Component -Context c -Type t -Value 'abc' -ErrorAction Stop } | Should -Throw -ErrorId 'CannotConvertArgument*'
    }
}
