# IP-to-city lookup (book 5.3): Import-RedisIpBlock, Import-RedisCityLocation, Find-RedisCity.
# The book's keys (ip2cityid:, cityid2city:) have fixed names, so every test uses a component on a
# database of its own (New-GeoComponent, databases 1..15, only the geo keys are cleared) and small CSV
# files written to TestDrive: or the committed samples in examples/data.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $Endpoint = Initialize-RedisComponentsTest
    $Samples = (Resolve-Path (Join-Path $PSScriptRoot '../../examples/data')).Path
    $script:NextDatabase = 1

    # A component on the next database (1..15) of the test Redis, without geo keys.
    function New-GeoComponent {
        $db = $script:NextDatabase
        $script:NextDatabase = ($script:NextDatabase % 15) + 1
        $name = New-TestComponent -Database $db
        $redis = [StackExchange.Redis.ConnectionMultiplexer]::Connect($Endpoint)
        try {
            $keys = [StackExchange.Redis.RedisKey[]]@('ip2cityid:', 'ip2cityid:ends', 'ip2cityid:v6', 'cityid2city:')
            $redis.GetDatabase($db).KeyDelete($keys) | Out-Null
        }
        finally { $redis.Dispose() }
        $name
    }

    function New-Csv([string] $Name, [string[]] $Lines, [string] $Encoding = 'latin1') {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllText($path, ($Lines -join "`n") + "`n", [System.Text.Encoding]::GetEncoding($Encoding))
        $path
    }
}

AfterAll {
    Stop-RedisComponentsTest
}

Describe 'Import-RedisIpBlock' {
    It 'imports the legacy sample and reports what it did' {
        $c = New-GeoComponent
        $result = Import-RedisIpBlock -Component $c -Path (Join-Path $Samples 'GeoLiteCity-Blocks.csv')
        $result.Format | Should -Be 'LegacyBlocks'
        $result.Imported | Should -Be 80
        $result.Malformed | Should -Be 0
        $result.Keys | Should -Be @('ip2cityid:', 'ip2cityid:ends')
    }

    It 'resolves wildcards with -Path and imports IPv4 and IPv6 GeoLite2 files' {
        $c = New-GeoComponent
        $results = Import-RedisIpBlock -Component $c -Path (Join-Path $Samples 'GeoLite2-City-Blocks-IPv*.csv')
        $results.Count | Should -Be 2
        $results[1].Keys | Should -Be @('ip2cityid:v6')
    }

    It 'takes -LiteralPath from piped files' {
        $c = New-GeoComponent
        $path = New-Csv 'blocks[1].csv' 'startIpNum,endIpNum,locId', '1,10,7'
        (Get-Item -LiteralPath $path | Import-RedisIpBlock -Component $c).Imported | Should -Be 1
        Import-RedisIpBlock -Component $c -Path $path -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^PathNotFound'
    }

    It 'reports malformed rows with their line and imports the rest' {
        $c = New-GeoComponent
        $path = New-Csv 'bad.csv' 'startIpNum,endIpNum,locId', '1,10,7', '"1.2.3.999","1.2.4.0","8"', '20,30,9'
        $result = Import-RedisIpBlock -Component $c -Path $path -MaxMalformedPercent 50 -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match '^MalformedRow'
        $err[0].ErrorDetails.Message | Should -Match 'bad\.csv line 3'
        $result.Imported | Should -Be 2
    }

    It 'refuses a file with too large a share of malformed rows and keeps the old index' {
        $c = New-GeoComponent
        $null = Import-RedisIpBlock -Component $c -Path (New-Csv 'old.csv' 'startIpNum,endIpNum,locId', '1,10,7', '20,30,9')
        $path = New-Csv 'mostly-bad.csv' (@('startIpNum,endIpNum,locId', '40,50,7') + @(1..20 | ForEach-Object { "bad,row,$_" }))
        $result = Import-RedisIpBlock -Component $c -Path $path -MaxMalformedRows 2 -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        @($err | Where-Object FullyQualifiedErrorId -Match '^MalformedRow').Count | Should -Be 2
        $err[-1].FullyQualifiedErrorId | Should -Match '^MalformedShareExceeded'
        $null = Find-RedisCity -Component $c -IPAddress 25 -ErrorVariable lookup -ErrorAction SilentlyContinue
        $lookup[0].ErrorDetails.Message | Should -Match 'city id 9' -Because 'the old block 20-30 still answers (no cities were imported)'
    }

    It 'calls a header of no known format UnrecognizedFileFormat' {
        $c = New-GeoComponent
        $path = New-Csv 'nothing.csv' 'nothing,here', '1,2', '3,4'
        $null = Import-RedisIpBlock -Component $c -Path $path -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match '^UnrecognizedFileFormat'
    }

    It 'changes nothing with -WhatIf' {
        $c = New-GeoComponent
        Import-RedisIpBlock -Component $c -Path (Join-Path $Samples 'GeoLiteCity-Blocks.csv') -WhatIf | Should -BeNullOrEmpty
        Find-RedisCity -Component $c -IPAddress '1.0.0.1' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a locations file' {
        $c = New-GeoComponent
        Import-RedisIpBlock -Component $c -Path (Join-Path $Samples 'GeoLiteCity-Location.csv') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^UnrecognizedFileFormat'
    }

    It 'replaces the previous import as a whole' {
        $c = New-GeoComponent
        Import-RedisIpBlock -Component $c -Path (New-Csv 'a.csv' 'startIpNum,endIpNum,locId', '1,10,7') | Out-Null
        Import-RedisIpBlock -Component $c -Path (New-Csv 'b.csv' 'startIpNum,endIpNum,locId', '100,200,8') | Out-Null
        Import-RedisCityLocation -Component $c -Path (New-Csv 'c.csv' 'locId,country,region,city', '7,US,CA,Old', '8,US,NY,New') | Out-Null
        Find-RedisCity -Component $c -IPAddress '0.0.0.5' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Find-RedisCity -Component $c -IPAddress '0.0.0.150').City | Should -Be 'New'
    }
}

Describe 'Import-RedisCityLocation' {
    It 'imports Latin-1 legacy locations as the book''s JSON' {
        $c = New-GeoComponent
        $result = Import-RedisCityLocation -Component $c -Path (Join-Path $Samples 'GeoLiteCity-Location.csv')
        $result.Format | Should -Be 'LegacyLocations'
        $result.Imported | Should -Be 24
        Import-RedisIpBlock -Component $c -Path (New-Csv 'one.csv' 'startIpNum,endIpNum,locId', '1,10,1') | Out-Null
        (Find-RedisCity -Component $c -IPAddress '0.0.0.2').City | Should -Be 'São Paulo'
    }

    It 'imports UTF-8 GeoLite2 locations by column name' {
        $c = New-GeoComponent
        (Import-RedisCityLocation -Component $c -LiteralPath (Join-Path $Samples 'GeoLite2-City-Locations-en.csv')).Format | Should -Be 'GeoLite2Locations'
        Import-RedisIpBlock -Component $c -Path (New-Csv 'tokyo.csv' 'network,geoname_id,registered_country_geoname_id', '1.0.0.0/24,1000001,1000001') | Out-Null
        $city = Find-RedisCity -Component $c -IPAddress '1.0.0.9'
        $city.City | Should -Be '東京'
        $city.Region | Should -Be 'Tokyo'
        $city.Country | Should -Be 'JP'
    }

    It 'reports a file without rows and keeps the old data' {
        $c = New-GeoComponent
        Import-RedisCityLocation -Component $c -Path (New-Csv 'empty.csv' 'locId,country,region,city') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^NoRowsImported'
    }
}

Describe 'Find-RedisCity' {
    BeforeAll {
        $Geo = New-GeoComponent
        Import-RedisIpBlock -Component $Geo -Path (New-Csv 'find-blocks.csv' 'startIpNum,endIpNum,locId', '"1.0.0.0","1.0.0.255","1"', '"1.0.2.0","1.0.2.255","2"') | Out-Null
        Import-RedisIpBlock -Component $Geo -Path (New-Csv 'find-v6.csv' 'network,geoname_id,registered_country_geoname_id', '2001:db8::/32,2,2') | Out-Null
        Import-RedisCityLocation -Component $Geo -Path (New-Csv 'find-cities.csv' 'locId,country,region,city', '1,US,CA,Mountain View', '2,CH,25,Zürich') | Out-Null
    }

    It 'finds the city of piped addresses, in order' {
        $cities = '1.0.2.7', '1.0.0.1', '2001:db8::42' | Find-RedisCity -Component $Geo
        $cities.City | Should -Be @('Zürich', 'Mountain View', 'Zürich')
        $cities[0].IPAddress | Should -Be '1.0.2.7'
        $cities[1].CityId | Should -Be '1'
    }

    It 'does not attribute an address in a gap to the block before it' {
        Find-RedisCity -Component $Geo -IPAddress '1.0.1.5' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^CityNotFound'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a malformed address as InvalidIPAddress and goes on' {
        $cities = Find-RedisCity -Component $Geo -IPAddress 'nonsense', '1.0.0.3' -ErrorVariable err -ErrorAction SilentlyContinue
        @($cities).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidIPAddress'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'answers thousands of piped addresses in batches' {
        $ips = 1..3000 | ForEach-Object { "1.0.0.$($_ % 256)" }
        ($ips | Find-RedisCity -Component $Geo | Measure-Object).Count | Should -Be 3000
    }
}
