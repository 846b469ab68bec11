# Every data cmdlet against a real 3-primary Redis Cluster started for this file (README "Redis Cluster").
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Initialize-RedisComponentsTest | Out-Null
    $script:Cluster = Start-TestRedisCluster
    $script:Component = New-TestName 'cluster'
    Set-RedisComponentConfig -Component $script:Component -Config @{ host = '127.0.0.1'; port = $script:Cluster.Ports[0] }

}

AfterAll {
    Stop-RedisComponentsTest
    Stop-TestRedisCluster $script:Cluster
}

Describe 'Redis Cluster' {
    It 'detects the cluster from one node and shows it' {
        Test-RedisComponent -Component $script:Component | Select-Object -ExpandProperty Reachable | Should -BeTrue
        $info = Get-RedisComponentConnection -Component $script:Component
        $info.Deployment | Should -Be 'Cluster'
        $info.IsCluster | Should -BeTrue
        $info.NodeCount | Should -Be 3
    }

    It 'stores a connection string with several hosts as startup_nodes and reaches the cluster' {
        $name = New-TestName 'multi'
        Set-RedisComponentConfig -Component $name -ConnectionString "127.0.0.1:$($script:Cluster.Ports[1]),127.0.0.1:$($script:Cluster.Ports[2]),connectTimeout=4000"
        $config = Get-RedisComponentConfig -Component $name
        $config.IsValid | Should -BeTrue
        Write-RedisRecentLog -Component $name -Name $name -Message 'via seeds'
        (Get-RedisRecentLog -Component $name -Name $name).Message | Should -Be 'via seeds'
        (Get-RedisComponentConnection -Component $name).Deployment | Should -Be 'Cluster'
        Set-RedisComponentConfig -Component "$name-x" -ConnectionString '127.0.0.1:1,password=abc,Tail7Hidden' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ComponentConfigInvalid,*'
        "$($e[0])" | Should -Not -BeLike '*Tail7Hidden*'
    }

    It 'refuses a db other than 0 with startup_nodes' {
        Set-RedisComponentConfig -Component (New-TestName 'bad') -Config @{ startup_nodes = @(@{ host = '127.0.0.1'; port = $script:Cluster.Ports[0] }); db = 1 } -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ComponentConfigInvalid,*'
        "$($e[0])" | Should -BeLike '*only database 0*'
    }

    It 'writes and reads recent and common logs spread over the primaries' {
        $stem = New-TestName 'log'
        # Independent names: CRC16 is linear, so names that differ only in a counter can share a third of the slots.
        $names = 1..30 | ForEach-Object { "$stem-$_-$([guid]::NewGuid().ToString('N').Substring(0, 8))" }
        1..30 | ForEach-Object { [pscustomobject]@{ Name = $names[$_ - 1]; Message = "m$_" } } | Write-RedisRecentLog -Component $script:Component
        (Get-RedisRecentLog -Component $script:Component -Name $names[6]).Message | Should -Be 'm7'
        @($names | ForEach-Object { Get-TestClusterPort $script:Cluster "recent:$($_):info" } | Sort-Object -Unique).Count | Should -Be 3
        'a', 'b', 'a' | Write-RedisCommonLog -Component $script:Component -Name $stem
        $common = Get-RedisCommonLog -Component $script:Component -Name $stem
        $common[0].Message | Should -Be 'a'
        $common[0].Count | Should -Be 2
        Invoke-TestClusterCli $script:Cluster ZSCORE "common:{recent:$($stem):info}" a | Should -Be 2
    }

    It 'updates, reads and cleans counters in the book keys' {
        $name = New-TestName 'hits'
        Update-RedisCounter -Component $script:Component -Name $name -Count 3
        (Get-RedisCounter -Component $script:Component -Name $name -Precision 60).Count | Should -Be 3
        Invoke-TestClusterCli $script:Cluster ZSCORE known: "60:$name" | Should -Be 0
        $pass = Invoke-RedisCounterCleanup -Component $script:Component -Confirm:$false
        $pass.RemovedCounters | Should -Not -Contain "60:$name"
    }

    It 'rejects a counter with a wrong-typed key whole and applies the rest of the batch' {
        $bad = New-TestName 'badhits'
        $good = New-TestName 'goodhits'
        Invoke-TestClusterCli $script:Cluster SET "count:60:$bad" 'not a hash' | Out-Null
        try {
            $good, $bad, $good | Update-RedisCounter -Component $script:Component -ErrorVariable e -ErrorAction SilentlyContinue
            $e.Count | Should -Be 1
            $e[0].FullyQualifiedErrorId | Should -BeLike 'RedisCommandFailed,*'
            "$($e[0])" | Should -BeLike "*count:60:$bad*"
            Invoke-TestClusterCli $script:Cluster EXISTS "count:1:$bad" | Should -Be 0
            Invoke-TestClusterCli $script:Cluster ZSCORE known: "1:$bad" | Should -BeNullOrEmpty
            (Get-RedisCounter -Component $script:Component -Name $good -Precision 1).Count | Should -Be 2
        }
        finally {
            Invoke-TestClusterCli $script:Cluster DEL "count:60:$bad" | Out-Null
        }
    }

    It 'records statistics and access times with the book key and tagged companions' {
        $context = New-TestName 'ctx'
        1, 2, 3 | Update-RedisStatistic -Component $script:Component -Context $context -Type Bytes
        (Get-RedisStatistic -Component $script:Component -Context $context -Type Bytes).Sum | Should -Be 6
        Invoke-TestClusterCli $script:Cluster GET "{stats:$($context):Bytes}:start" | Should -Match '^\d{4}-\d\d-\d\dT\d\d:00:00$'
        Measure-RedisAccessTime -Component $script:Component -Context $context -ScriptBlock { 1 } | Out-Null
        (Get-RedisAccessTime -Component $script:Component).Context | Should -Contain $context
    }

    It 'imports the geo samples and finds a city' {
        $data = Join-Path $PSScriptRoot '../../examples/data'
        $generation = [long](Invoke-TestClusterCli $script:Cluster GET '{ip2cityid:}:generation')
        Import-RedisIpBlock -Component $script:Component -LiteralPath (Join-Path $data 'GeoLiteCity-Blocks.csv') | Out-Null
        Import-RedisCityLocation -Component $script:Component -LiteralPath (Join-Path $data 'GeoLiteCity-Location.csv') | Out-Null
        Invoke-TestClusterCli $script:Cluster HLEN '{ip2cityid:}:ends' | Should -BeGreaterThan 0
        # The swap's script increments the file's generation, which every Find-RedisCity batch checks before and after.
        [long](Invoke-TestClusterCli $script:Cluster GET '{ip2cityid:}:generation') | Should -Be ($generation + 1)
        $first = Invoke-TestClusterCli $script:Cluster ZRANGE ip2cityid: 0 0 WITHSCORES
        $score = [long]$first[1]
        $address = '{0}.{1}.{2}.{3}' -f (($score -shr 24) -band 255), (($score -shr 16) -band 255), (($score -shr 8) -band 255), ($score -band 255)
        (Find-RedisCity -Component $script:Component -IPAddress $address).CityId | Should -Be ($first[0] -split '_')[0]
    }

    It 'names the cluster keys under -WhatIf and writes nothing' {
        $name = New-TestName 'whatif'
        # What if: lines go to the host only: a transcript records them.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            Write-RedisCommonLog -Component $script:Component -Name $name -Message m -WhatIf
            Update-RedisStatistic -Component $script:Component -Context $name -Type Bytes -Value 1 -WhatIf
        }
        finally { Stop-Transcript | Out-Null }
        $text = (Get-Content -Raw $transcript) -replace '\s+', ' '
        $text | Should -BeLike "*common:{recent:$($name):info}, common:{recent:$($name):info}:start, common:{recent:$($name):info}:last, common:{recent:$($name):info}:pstart and recent:$($name):info on component*"
        $text | Should -BeLike "*stats:$($name):Bytes, {stats:$($name):Bytes}:start, {stats:$($name):Bytes}:last and {stats:$($name):Bytes}:pstart on component*"
        foreach ($key in "recent:$($name):info", "common:{recent:$($name):info}", "stats:$($name):Bytes", "{stats:$($name):Bytes}:start") {
            Invoke-TestClusterCli $script:Cluster EXISTS $key | Should -Be 0
        }
    }

    It 'lists configs from every primary when the cluster is the config server' {
        Connect-RedisConfigServer -Configuration "127.0.0.1:$($script:Cluster.Ports[1])" -RefreshSeconds 0
        try {
            $stem = New-TestName 'cfg'
            1..20 | ForEach-Object { Set-RedisComponentConfig -Component "$stem-$_" -Config @{ host = '127.0.0.1'; port = $script:Cluster.Ports[0] } }
            @(Get-RedisComponentConfig -Component "$stem-*").Count | Should -Be 20
        }
        finally {
            Connect-RedisConfigServer -Configuration $script:TestRedisEndpoint -RefreshSeconds 0
        }
    }
}
