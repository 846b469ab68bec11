# Views, positional parameters, listings and the raw-command cmdlets, run for real by the local pwsh.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
    $Component = New-TestComponent -Database 6
    $Assembly = (Get-Command Get-RedisCounter).ImplementingType.Assembly
    $ClientAssembly = (Get-RedisComponentDatabase $Component).GetType().Assembly
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Views' {
    It 'heads every column of every view with a property name of its type' {
        $data = @(Get-FormatData -TypeName 'RedisComponents.*', 'StackExchange.Redis.*')
        $data.Count | Should -BeGreaterThan 10
        # Every view of the module's format file is loaded, and read here (new views included).
        $formatFile = Join-Path (Get-Module RedisComponents).ModuleBase 'RedisComponents.format.ps1xml'
        $declared = ([xml](Get-Content $formatFile -Raw)).Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName | Sort-Object -Unique
        ($data.TypeNames | Sort-Object -Unique) | Should -Be $declared
        foreach ($type in $data) {
            $clr = $Assembly.GetType($type.TypeNames[0])
            if (-not $clr) { $clr = $ClientAssembly.GetType($type.TypeNames[0], $true) }
            foreach ($view in $type.FormatViewDefinition) {
                $free = 0
                for ($i = 0; $i -lt $view.Control.Headers.Count; $i++) {
                    $header = $view.Control.Headers[$i]
                    $label = if ($header.Label) { $header.Label } else { $view.Control.Rows[0].Columns[$i].DisplayEntry.Value }
                    $clr.GetProperty($label) | Should -Not -BeNullOrEmpty -Because "$($type.TypeNames[0]) shows a column '$label'"
                    if ($header.Width -eq 0) { $free++ }
                }
                $free | Should -BeLessOrEqual 1 -Because "$($type.TypeNames[0]) has one free-text column at most"
            }
        }
    }

    It 'lets Where-Object filter by what a column says' {
        Measure-RedisAccessTime $Component 'pester:views' { Start-Sleep -Milliseconds 5 }
        Get-RedisAccessTime $Component | Where-Object AverageMilliseconds -gt 1 | Should -Not -BeNullOrEmpty
        Get-RedisComponentConnection | Where-Object IsConnected | Should -Not -BeNullOrEmpty
    }

    It 'gives the message the rest of a <Width>-column console' -ForEach @(@{ Width = 100 }, @{ Width = 130 }) {
        $message = 'an error happened on the payment gateway while charging card 4242 for order 1001 ' + ('x' * 60)
        $text = Write-RedisRecentLog $Component payments $message -Severity Error -PassThru | Out-String -Width $Width
        $row = ($text -split "`n") | Where-Object { $_ -match 'payments' }
        $shown = $row.Substring($row.IndexOf('an error')).TrimEnd()
        $shown.Length | Should -BeGreaterOrEqual ($Width - 50)
        $row.TrimEnd().Length | Should -BeLessOrEqual $Width
    }

    It 'rounds numbers in the view and keeps them raw on the object' {
        $context = New-TestName 'round'
        1, 2, 2 | Update-RedisStatistic $Component $context ms
        $stats = Get-RedisStatistic $Component $context ms
        $stats.StdDev | Should -BeGreaterThan 0.57735
        ($stats | Out-String -Width 120) | Should -Match ' 0\.57735 '
    }
}

Describe 'Get-RedisCounter listing' {
    It 'lists known counters sorted, with precisions and the newest sample' {
        $run = New-TestName 'run'
        $a = "b-counter-$run"; $b = "a-counter-$run"
        $a, $a, $b | Update-RedisCounter $Component
        $list = Get-RedisCounter $Component "*-counter-$run"
        $list.Name | Should -Be (@($a, $b) | Sort-Object)
        ($list | Where-Object Name -eq $a).NewestCount | Should -Be 2
        ($list | Where-Object Name -eq $a).Precisions | Should -Be @(1, 5, 60, 300, 3600, 18000, 86400)
    }
}

Describe 'Get-RedisComponentConfig listing' {
    It 'sorts by component and flags an invalid config' {
        $bad = New-TestName 'zz-bad'
        $configServer = New-TestComponent   # database 0: where the config keys are
        Invoke-RedisComponentCommand -Component $configServer SET "config:redis:$bad" '{"host": "x", "port": 99999}' -Confirm:$false | Out-Null
        $all = Get-RedisComponentConfig
        ($all.Component -join "`n") | Should -Be (($all.Component | Sort-Object) -join "`n")
        $entry = $all | Where-Object Component -eq $bad
        $entry.IsValid | Should -BeFalse
        $entry.Problem | Should -Match "'port'"
        Remove-RedisComponentConfig $bad -Confirm:$false
    }
}

Describe 'Invoke-RedisComponentCommand' {
    It 'returns replies as PowerShell values' {
        $key = New-TestName 'hash'
        Invoke-RedisComponentCommand $Component HSET $key f1 v1 f2 42 -Confirm:$false | Should -Be 2
        Invoke-RedisComponentCommand -Component $Component -Command HGETALL -Argument $key | Should -Be @('f1', 'v1', 'f2', '42')
        Invoke-RedisComponentCommand $Component HLEN $key | Should -BeOfType [long]
    }

    It 'does not send a write under -WhatIf but runs a read' {
        $key = New-TestName 'str'
        Invoke-RedisComponentCommand $Component SET $key v -Confirm:$false | Should -Be 'OK'
        Invoke-RedisComponentCommand $Component DEL $key -WhatIf
        Invoke-RedisComponentCommand $Component GET $key -WhatIf | Should -Be 'v'
    }

    It 'classifies errors with stable ids' {
        { Invoke-RedisComponentCommand $Component NOSUCHCOMMAND -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RedisCommandUnknown*'
        { Invoke-RedisComponentCommand $Component BLPOP somelist 0 -ErrorAction Stop } | Should -Throw -ErrorId 'RedisCommandNotSupported*'
        { Invoke-RedisComponentCommand nosuch-component PING -ErrorAction Stop } | Should -Throw -ErrorId 'ComponentConfigNotFound*'
        # The module's least-privilege connections never send CONFIG: an ErrorRecord, not the client's exception.
        { Invoke-RedisComponentCommand $Component 'CONFIG GET' maxmemory -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RedisCommandNotSupported*'
    }
}

Describe 'Get-RedisComponentDatabase' {
    It 'returns the component database of the client, shown without the connection string' {
        $db = Get-RedisComponentDatabase $Component
        ($db | Out-String) | Should -Match 'Database'
        ($db.Multiplexer | Out-String) | Should -Not -Match 'Configuration' 
        $db.Database | Should -Be 6
        $key = New-TestName 'db'
        $db.StringSet($key, 'from the client') | Should -BeTrue
        Invoke-RedisComponentCommand $Component GET $key | Should -Be 'from the client'
    }
}

Describe 'Positional parameters' {
    It 'takes -Component at position 0 and the name at position 1 on the data cmdlets' {
        $name = New-TestName 'log'
        Write-RedisRecentLog $Component $name 'positional'
        (Get-RedisRecentLog $Component $name).Message | Should -Be 'positional'
        Update-RedisCounter $Component $name
        (Get-RedisCounter $Component $name 60).Count | Should -Be 1
    }
}

Describe 'Consistency' {
    It 'expands wildcards in Test-RedisComponent, Get-RedisComponentConnection and Disconnect-RedisComponent' {
        $run = New-TestName 'wild'
        $a = "$run-a"; $b = "$run-b"
        foreach ($name in $a, $b) { Set-RedisComponentConfig $name -ConnectionString $Endpoint }
        $tested = Test-RedisComponent "$run-*"
        $tested.Component | Should -Be @($a, $b)
        $tested.Reachable | Should -Be @($true, $true)
        Invoke-RedisComponentCommand $a PING | Should -Be 'PONG'
        Invoke-RedisComponentCommand $b PING | Should -Be 'PONG'
        (Get-RedisComponentConnection "$run-*").Component | Should -Be @($a, $b)   # sorted
        Disconnect-RedisComponent "$($run.ToUpperInvariant())-*"
        Get-RedisComponentConnection "$run-*" | Should -BeNullOrEmpty
        foreach ($name in $a, $b) { Remove-RedisComponentConfig $name -Confirm:$false }
    }

    It 'has -PassThru on every cmdlet that writes data' {
        $writers = Get-Command -Module RedisComponents | Where-Object Verb -in 'Write', 'Update', 'Set', 'Enable', 'Disable'
        $writers.Count | Should -BeGreaterOrEqual 7
        foreach ($writer in $writers) { $writer.Parameters.Keys | Should -Contain 'PassThru' -Because "$($writer.Name) writes" }
        Write-RedisCommonLog $Component (New-TestName 'pt') 'passed through' -PassThru | Should -Not -BeNullOrEmpty
        (Update-RedisCounter $Component (New-TestName 'pt') -PassThru).Count | Should -Be 1
    }

    It 'returns nothing, and no error, for names that do not exist' {
        $none = New-TestName 'nothing'
        $Error.Clear()
        Get-RedisRecentLog $Component $none | Should -BeNullOrEmpty
        Get-RedisCommonLog $Component $none | Should -BeNullOrEmpty
        Get-RedisCounter $Component $none 60 | Should -BeNullOrEmpty
        Get-RedisCounter $Component "$none*" | Should -BeNullOrEmpty
        Get-RedisStatistic $Component $none AccessTime | Should -BeNullOrEmpty
        Get-RedisComponentConfig "$none*" | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }

    It 'shows no endpoint for a component that has no config' {
        $result = Test-RedisComponent (New-TestName 'nosuch')
        $result.Reachable | Should -BeFalse
        $result.Endpoint | Should -BeNullOrEmpty
        $result.Error | Should -Match 'nosuch'
    }

    It 'moves configs with Set-RedisComponentConfig help example 3 keeping passwords and timeouts' {
        $md = Get-Content (Join-Path $PSScriptRoot '../../docs/help/Set-RedisComponentConfig.md') -Raw
        $code = [regex]::Match($md, '### Example 3[^\n]*\n```powershell\n(.*?)\n```', 'Singleline').Groups[1].Value
        $code | Should -Match 'redis-old01'
        $name = New-TestName 'move'
        Set-RedisComponentConfig $name @{ host = 'redis-old01'; port = 6380; db = 3; password = 'p@ss-word'; socket_timeout = 2.5; client_name = 'orders' }
        Invoke-Expression ($code -replace ' -WhatIf', ' -Confirm:$false')
        $moved = (Get-RedisComponentConfig $name -AsPlainText).Config
        $moved.host | Should -Be 'redis-new01'
        $moved.password | Should -Be 'p@ss-word'
        $moved.socket_timeout | Should -Be 2.5
        $moved.port | Should -Be 6380
        $moved.db | Should -Be 3
        $moved.client_name | Should -Be 'orders'
        Remove-RedisComponentConfig $name -Confirm:$false
    }
}
