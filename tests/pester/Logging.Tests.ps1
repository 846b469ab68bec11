BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
    $Component = New-TestComponent
    # A direct connection for assertions, not through the module.
    $Redis = [StackExchange.Redis.ConnectionMultiplexer]::Connect($Endpoint)
    $Db = $Redis.GetDatabase()
    $AscTime = '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d \d{4} '
}

AfterAll {
    if ($Redis) { $Redis.Dispose() }
    Stop-RedisComponentsTest
}

Describe 'Write-RedisRecentLog' {
    It 'pushes "asctime message" to recent:NAME:SEVERITY' {
        $name = New-TestName
        Write-RedisRecentLog -Component $Component -Name $name -Message 'disk full' -Severity Warning
        $entries = $Db.ListRange("recent:${name}:warning")
        $entries.Count | Should -Be 1
        "$($entries[0])" | Should -Match "${AscTime}disk full$"
    }

    It 'keeps the newest 100 of a large pipeline' {
        $name = New-TestName
        1..250 | ForEach-Object { "m$_" } | Write-RedisRecentLog -Component $Component -Name $name
        $Db.ListLength("recent:${name}:info") | Should -Be 100
        "$($Db.ListGetByIndex("recent:${name}:info", 0))" | Should -Match ' m250$'
    }

    It 'outputs the written entries with -PassThru and nothing without' {
        $name = New-TestName
        $written = 'a', 'b' | Write-RedisRecentLog -Component $Component -Name $name -PassThru
        $written.Message | Should -Be @('a', 'b')
        Write-RedisRecentLog -Component $Component -Name $name -Message c | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $name = New-TestName
        Write-RedisRecentLog -Component $Component -Name $name -Message x -WhatIf
        $Db.KeyExists("recent:${name}:info") | Should -BeFalse
    }

    It 'rejects a severity that is not one of the five' {
        { Write-RedisRecentLog -Component $Component -Name (New-TestName) -Message x -Severity Fatal -ErrorAction Stop } |
            Should -Throw -ErrorId 'CannotConvertArgument*'
    }
}

Describe 'Get-RedisRecentLog' {
    It 'returns entries newest first with the parsed time' {
        $name = New-TestName
        'first', 'second', 'third' | Write-RedisRecentLog -Component $Component -Name $name -Severity Error
        $entries = Get-RedisRecentLog -Component $Component -Name $name -Severity Error
        $entries.Message | Should -Be @('third', 'second', 'first')
        $entries[0].Time | Should -BeOfType ([datetime])
        ((Get-Date) - $entries[0].Time).TotalMinutes | Should -BeLessThan 5
        $entries[0].Raw | Should -Match "${AscTime}third$"
        (Get-RedisRecentLog -Component $Component -Name $name -Severity Error -Count 1).Message | Should -Be 'third'
    }

    It 'reads what the book''s Python log_recent wrote' {
        $name = New-TestName
        $null = $Db.ListLeftPush("recent:${name}:debug", 'Wed Nov  4 09:05:03 2026 from python')
        $entry = Get-RedisRecentLog -Component $Component -Name $name -Severity Debug
        $entry.Time | Should -Be ([datetime]'2026-11-04T09:05:03')
        $entry.Message | Should -Be 'from python'
    }
}

Describe 'Write-RedisCommonLog' {
    It 'counts messages in common:NAME:SEVERITY, sets the hour and logs recent too' {
        $name = New-TestName
        'timeout', 'timeout', 'refused' | Write-RedisCommonLog -Component $Component -Name $name -Severity Error
        $Db.SortedSetScore("common:${name}:error", 'timeout') | Should -Be 2
        "$($Db.StringGet("common:${name}:error:start"))" | Should -Be ([datetime]::UtcNow.ToString("yyyy-MM-dd'T'HH':00:00'"))
        $Db.ListLength("recent:${name}:error") | Should -Be 3
    }

    It 'moves an older hour to :last and :pstart' {
        $name = New-TestName
        $dest = "common:${name}:info"
        $null = $Db.StringSet("${dest}:start", '2000-01-01T00:00:00')
        $null = $Db.SortedSetIncrement($dest, 'old', 5)
        Write-RedisCommonLog -Component $Component -Name $name -Message new -TimeoutSeconds 2
        "$($Db.StringGet("${dest}:pstart"))" | Should -Be '2000-01-01T00:00:00'
        $Db.SortedSetScore("${dest}:last", 'old') | Should -Be 5
        $Db.SortedSetScore($dest, 'new') | Should -Be 1
    }
}

Describe 'Get-RedisCommonLog' {
    It 'lists the most common messages first, and the previous hour with -Previous' {
        $name = New-TestName
        'a', 'b', 'b', 'c', 'b', 'c' | Write-RedisCommonLog -Component $Component -Name $name
        $entries = Get-RedisCommonLog -Component $Component -Name $name
        $entries.Message | Should -Be @('b', 'c', 'a')
        ($entries | ForEach-Object { $_.Count }) | Should -Be @(3, 2, 1)
        (Get-RedisCommonLog -Component $Component -Name $name -Top 1).Message | Should -Be 'b'

        $null = $Db.KeyRename("common:${name}:info", "common:${name}:info:last")
        (Get-RedisCommonLog -Component $Component -Name $name -Previous -Top 2).Message | Should -Be @('b', 'c')
    }
}

Describe 'Piped log writers and the pipeline (issue 12)' {
    It 'writes what was accepted before an upstream throw' {
        $name = New-TestName
        { 1..5 | ForEach-Object { if ($_ -eq 5) { throw 'x' }; "step $_" } | Write-RedisRecentLog -Component $Component -Name $name } |
            Should -Throw 'x'
        $Db.ListLength("recent:${name}:info") | Should -Be 4
    }

    It 'passes the first entries to Select-Object -First and writes everything accepted' {
        $name = New-TestName
        $first = 1..5000 | ForEach-Object { "m$_" } | Write-RedisRecentLog -Component $Component -Name $name -PassThru | Select-Object -First 2
        $first.Message | Should -Be @('m1', 'm2')
        $entries = @($Db.ListRange("recent:${name}:info") | ForEach-Object { "$_".Substring(25) })
        $newest = [int]$entries[0].Substring(1)
        $newest | Should -BeGreaterOrEqual 2
        $entries | Should -Be @($newest..1 | Select-Object -First 100 | ForEach-Object { "m$_" })
    }

    It 'logs objects from ConvertFrom-Json with their Message and Severity' {
        $name = New-TestName
        '[{"Message":"disk full","Severity":"Error"},{"Message":"slow","Severity":"Warning"},{"Message":"plain"}]' |
            ConvertFrom-Json | Write-RedisRecentLog -Component $Component -Name $name
        "$($Db.ListGetByIndex("recent:${name}:error", 0))" | Should -Match ' disk full$'
        "$($Db.ListGetByIndex("recent:${name}:warning", 0))" | Should -Match ' slow$'
        "$($Db.ListGetByIndex("recent:${name}:info", 0))" | Should -Match ' plain$'
    }

    It 'takes a whole array with -Message in one binding' {
        $name = New-TestName
        Write-RedisRecentLog -Component $Component -Name $name -Message (1..1500 | ForEach-Object { "m$_" })
        $Db.ListLength("recent:${name}:info") | Should -Be 100
        "$($Db.ListGetByIndex("recent:${name}:info", 0))" | Should -Match ' m1500$'
    }

    It 'rejects only the items of a wrong-typed log, naming the key and the count' {
        $bad = New-TestName
        $good = New-TestName
        $null = $Db.StringSet("recent:${bad}:info", 'not a list')
        [pscustomobject]@{ Name = $bad; Message = 'x' }, [pscustomobject]@{ Name = $good; Message = 'y' } |
            Write-RedisCommonLog -Component $Component -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RedisCommandFailed,*'
        $failed[0].ErrorDetails.Message | Should -BeLike "1 messages for recent:${bad}:info were not written.*"
        $Db.KeyExists("common:${bad}:info:start") | Should -BeFalse
        $Db.SortedSetScore("common:${good}:info", 'y') | Should -Be 1
    }
}
