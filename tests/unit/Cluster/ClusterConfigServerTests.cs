using System.Linq;
using System.Management.Automation;
using RedisComponents.Configuration;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Cluster;

/// <summary>The cluster as config server: configs spread over every primary are all listed, completed and read.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterConfigServerTests
{
    private readonly TestCluster cluster = TestCluster.Shared;

    [Fact]
    public void Listing_completion_and_reads_cover_configs_on_every_primary()
    {
        using var ps = new PsHost(cluster.SeedEndpoint);
        var stem = ClusterHosts.Unique("cfg");
        // Independent suffixes: CRC16 is linear, so names that differ only in a counter can share a third of the slots.
        var names = Enumerable.Range(1, 30).Select(i => $"{stem}-{i}-{System.Guid.NewGuid().ToString("N")[..8]}").ToArray();
        ps.Run("foreach ($n in $names) { Set-RedisComponentConfig -Component $n -Config @{ host = '127.0.0.1'; port = $port } }",
            new() { ["names"] = names, ["port"] = cluster.Ports[1] }).ThrowIfFailed();
        Assert.Equal(3, names.Select(n => cluster.PortOf("config:redis:" + n)).Distinct().Count());

        var listed = ps.Run("Get-RedisComponentConfig -Component $p", new() { ["p"] = stem + "-*" }).ThrowIfFailed().All<ComponentConfigInfo>();
        Assert.Equal(names.OrderBy(n => n, System.StringComparer.Ordinal), listed.Select(c => c.Component).OrderBy(n => n, System.StringComparer.Ordinal));
        var all = ps.Run("Get-RedisComponentConfig").ThrowIfFailed().All<ComponentConfigInfo>();
        Assert.True(names.All(n => all.Any(c => c.Component == n)));
        var one = ps.Run("Get-RedisComponentConfig -Component $n", new() { ["n"] = names[7] }).ThrowIfFailed().Single<ComponentConfigInfo>();
        Assert.Equal(names[7], one.Component);

        using var shell = PowerShell.Create(ps.Runspace);
        var input = "Test-RedisComponent -Component " + stem;
        var completed = CommandCompletion.CompleteInput(input, input.Length, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();
        Assert.Equal(30, completed.Count);

        // A component whose config is on the cluster and whose data is on it too.
        ps.Run("Write-RedisRecentLog -Component $c -Name $c -Message hi", new() { ["c"] = names[3] }).ThrowIfFailed();
        Assert.Equal(1, cluster.Db.ListLength($"recent:{names[3]}:info"));
        var test = ps.Run("Test-RedisComponent $p", new() { ["p"] = stem + "-*" }).ThrowIfFailed();
        Assert.Equal(30, test.Output.Count);
    }
}
