using System;
using System.IO;
using System.Linq;
using System.Text;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Cluster;

/// <summary>
/// -WhatIf of every writer names the keys it would really write in the component's deployment (the book's layout on a
/// standalone server, README's cluster layout on a cluster), and writes nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterWhatIfTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    private static string Precisions => "(P = 1, 5, 60, 300, 3600, 18000, 86400)";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_writer_names_the_keys_of_the_deployment_and_writes_nothing(bool onCluster)
    {
        var standalone = TestRedis.Shared;
        using var ps = onCluster ? ClusterHosts.Session() : ClusterHosts.Session(json: $"{{\"host\": \"{standalone.Host}\", \"port\": {standalone.Port}}}");
        IDatabase db = onCluster ? cluster.Db : standalone.Db();
        var n = ClusterHosts.Unique("whatif");
        var dir = Path.Combine(Path.GetTempPath(), "rc-whatif-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var blocks = Path.Combine(dir, "blocks.csv");
            var locations = Path.Combine(dir, "locations.csv");
            File.WriteAllText(blocks, "startIpNum,endIpNum,locId\n100,199,1\n", Encoding.Latin1);
            File.WriteAllText(locations, "locId,country,region,city,postalCode,latitude,longitude,metroCode,areaCode\n1,\"US\",\"R\",\"C\",\"\",0,0,,\n", Encoding.Latin1);
            var generations = new[] { onCluster ? "{ip2cityid:}:generation" : "ip2cityid:generation", onCluster ? "{cityid2city:}:generation" : "cityid2city:generation" };
            var before = generations.Select(k => (string?)db.StringGet(k)).ToArray();
            var indexBefore = db.SortedSetLength("ip2cityid:");
            ps.Host.TakeScreen();

            var expected = onCluster
                ? new[]
                {
                    ("Write-RedisRecentLog -Name $n -Message m -WhatIf", $"recent:{n}:info"),
                    ("Write-RedisCommonLog -Name $n -Message m, m2 -WhatIf",
                        $"common:{{recent:{n}:info}}, common:{{recent:{n}:info}}:start, common:{{recent:{n}:info}}:last, common:{{recent:{n}:info}}:pstart and recent:{n}:info"),
                    ("Update-RedisCounter -Name $n -WhatIf", $"count:P:{n} {Precisions}, known: and the batch tokens {{count:P:{n}}}:batch:*"),
                    ("Update-RedisStatistic -Context $n -Type Bytes -Value 1 -WhatIf",
                        $"stats:{n}:Bytes, {{stats:{n}:Bytes}}:start, {{stats:{n}:Bytes}}:last and {{stats:{n}:Bytes}}:pstart"),
                    ("Measure-RedisAccessTime -Context $n -ScriptBlock { 1 } -WhatIf | Out-Null",
                        $"stats:{n}:AccessTime, {{stats:{n}:AccessTime}}:start, {{stats:{n}:AccessTime}}:last, {{stats:{n}:AccessTime}}:pstart and slowest:AccessTime"),
                    ("Import-RedisIpBlock -LiteralPath $b -WhatIf", "ip2cityid:, {ip2cityid:}:ends and {ip2cityid:}:generation"),
                    ("Import-RedisCityLocation -LiteralPath $l -WhatIf", "cityid2city: and {cityid2city:}:generation"),
                }
                : new[]
                {
                    ("Write-RedisRecentLog -Name $n -Message m -WhatIf", $"recent:{n}:info"),
                    ("Write-RedisCommonLog -Name $n -Message m, m2 -WhatIf",
                        $"common:{n}:info, common:{n}:info:start, common:{n}:info:last, common:{n}:info:pstart and recent:{n}:info"),
                    ("Update-RedisCounter -Name $n -WhatIf", $"count:P:{n} {Precisions} and known:"),
                    ("Update-RedisStatistic -Context $n -Type Bytes -Value 1 -WhatIf", $"stats:{n}:Bytes, stats:{n}:Bytes:start, stats:{n}:Bytes:last and stats:{n}:Bytes:pstart"),
                    ("Measure-RedisAccessTime -Context $n -ScriptBlock { 1 } -WhatIf | Out-Null",
                        $"stats:{n}:AccessTime, stats:{n}:AccessTime:start, stats:{n}:AccessTime:last, stats:{n}:AccessTime:pstart and slowest:AccessTime"),
                    ("Import-RedisIpBlock -LiteralPath $b -WhatIf", "ip2cityid:, ip2cityid:ends and ip2cityid:generation"),
                    ("Import-RedisCityLocation -LiteralPath $l -WhatIf", "cityid2city: and cityid2city:generation"),
                };
            foreach (var (script, keys) in expected)
            {
                ps.Run(script, new() { ["n"] = n, ["b"] = blocks, ["l"] = locations }).ThrowIfFailed();
                var screen = ps.Host.TakeScreen().Replace("\r", "").Replace("\n", "");
                Assert.True(screen.Contains($"on target \"{keys} on component '", StringComparison.Ordinal), screen);
            }

            var written = onCluster ? cluster.AllKeys("*" + n + "*") : standalone.AdminServer.Keys(0, "*" + n + "*").Select(k => (string)k!).ToList();
            Assert.Empty(written);
            Assert.Null(db.SortedSetScore("known:", "1:" + n));
            Assert.Null(db.SortedSetScore("slowest:AccessTime", n));
            Assert.Equal(before, generations.Select(k => (string?)db.StringGet(k)).ToArray());
            Assert.Equal(indexBefore, db.SortedSetLength("ip2cityid:"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
