using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Logging;

public class ConfigSwitchTests
{
    [Fact]
    public void AConfigChangeMidPipelineWritesEachBatchWhereItsComponentPointed()
    {
        using var a = TestRedis.StartOwned();
        using var b = TestRedis.StartOwned();
        // -RefreshSeconds 0 reads once per command; a mid-pipeline change is seen once the (short) window passes.
        using var ps = new PsHost(a.Endpoint, refreshSeconds: 0.05);
        ps.Run("Set-RedisComponentConfig -Component app -ConnectionString $e", new() { ["e"] = a.Endpoint }).ThrowIfFailed();
        var result = ps.Run("""
            1..300 | ForEach-Object {
                if ($_ -eq 201) {
                    Set-RedisComponentConfig -Component app -ConnectionString $b
                    # Until this session has re-read the config (bounded): on a loaded machine the re-read may
                    # take longer than the 250 ms a call waits for it before going on with the known config.
                    $until = [DateTime]::UtcNow.AddSeconds(20)
                    while ((Test-RedisComponent app).Endpoint -ne $b -and [DateTime]::UtcNow -lt $until) { [System.Threading.Thread]::Sleep(20) }
                }
                "m$_"
            } | Write-RedisRecentLog -Component app -Name web
            """, new() { ["b"] = b.Endpoint });
        Assert.True(result.Succeeded, result.AllText());
        var onA = a.Db().ListRange("recent:web:info").Select(v => ((string)v!)[25..]).ToList();
        var onB = b.Db().ListRange("recent:web:info").Select(v => ((string)v!)[25..]).ToList();
        Assert.Equal(Enumerable.Range(101, 100).Reverse().Select(i => $"m{i}"), onA);
        Assert.Equal(Enumerable.Range(201, 100).Reverse().Select(i => $"m{i}"), onB);
    }
}
