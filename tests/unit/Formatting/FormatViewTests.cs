using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Formatting;

public sealed class FormatViewTests : IDisposable
{
    private static readonly string FormatFile = Path.Combine(RepositoryRoot.Path, "src", "RedisComponents.PowerShell", "RedisComponents.format.ps1xml");
    private readonly RedisServer server = TestRedis.StartOwned();

    /// <summary>Every type a cmdlet declares in [OutputType] (other than .NET primitives) has a view.</summary>
    [Fact]
    public void EveryOutputTypeHasAView()
    {
        var viewed = XDocument.Load(FormatFile).Descendants("TypeName").Select(t => t.Value.Trim()).ToHashSet();
        var outputTypes = typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(OutputTypeAttribute), false).Cast<OutputTypeAttribute>())
            .SelectMany(a => a.Type).Select(t => t.Type).Where(t => t is not null && t.Namespace!.StartsWith("RedisComponents", StringComparison.Ordinal))
            .Select(t => t!.FullName!).Distinct().ToList();
        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, t => Assert.Contains(t, viewed));
    }

    [Fact]
    public void ImportModuleAppliesTheViews()
    {
        using var ps = new PsHost(server.Endpoint);
        ps.Run("Set-RedisComponentConfig -Component shown -Config @{ host = $h; port = $p; password = 'hunter2' }", new() { ["h"] = server.Host, ["p"] = server.Port }).ThrowIfFailed();

        var configs = ps.Render("Get-RedisComponentConfig shown");
        Assert.Matches(@"Component\s+Type\s+Host\s+Port\s+Database\s+HasPassword\s+IsValid\s+Problem", configs);
        Assert.Matches(@"shown\s+redis\s+127\.0\.0\.1\s+\d+\s+0 True\s+True", configs);
        Assert.DoesNotContain("hunter2", configs);

        Assert.Matches(@"Component\s+Reachable\s+LatencyMs\s+Endpoint\s+Error", ps.Render("Test-RedisComponent shown"));
        Assert.Matches(@"Component\s+Endpoint\s+Database\s+Deployment\s+NodeCount\s+IsConnected\s+ConfigReadAt\s+ConnectedAt", ps.Render("Get-RedisComponentConnection"));
        Assert.Matches(@"Endpoint\s+Database\s+RefreshSeconds\s+IsConnected", ps.Render("Connect-RedisConfigServer $e -PassThru", new() { ["e"] = server.Endpoint }));

        ps.Run("'disk full', 'disk full' | Write-RedisCommonLog -Component shown -Name web -Severity Error").ThrowIfFailed();
        var samples = System.IO.Path.Combine(RepositoryRoot.Path, "examples", "data");
        var import = ps.Render("Import-RedisCityLocation -Component shown -LiteralPath $p", new() { ["p"] = System.IO.Path.Combine(samples, "GeoLiteCity-Location.csv") });
        Assert.Matches(@"Format\s+Imported\s+Skipped\s+Malformed\s+RowsPerSecond\s+Elapsed\s+Path", import);
        Assert.Contains("GeoLiteCity-Location.csv", import);
        ps.Run("Import-RedisIpBlock -Component shown -LiteralPath $p", new() { ["p"] = System.IO.Path.Combine(samples, "GeoLiteCity-Blocks.csv") }).ThrowIfFailed();
        var city = ps.Render("Find-RedisCity -Component shown -IPAddress $ip", new() { ["ip"] = FirstBlockStart(samples) });
        Assert.Matches(@"IPAddress\s+CityId\s+Country\s+Region\s+City", city);

        var recent = ps.Render("Get-RedisRecentLog -Component shown -Name web -Severity Error -Count 1");
        Assert.Matches(@"Time\s+Name\s+Severity\s+Message", recent);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d web\s+Error\s+disk full", recent);
        var common = ps.Render("Get-RedisCommonLog -Component shown -Name web -Severity Error");
        Assert.Matches(@"Count\s+Name\s+Severity\s+Hour\s+Message", common);
        Assert.Matches(@"\b2 web\s+Error\s+\d{4}-\d\d-\d\d \d\d:00 disk full", common);
    }

    /// <summary>
    /// Every column of every view is headed by the name of a property of the type it shows, so
    /// Where-Object/Sort-Object take what the table says; at most one column (the free text) has no width.
    /// The same check runs through Get-FormatData in the real pwsh: tests/pester/Views.Tests.ps1.
    /// </summary>
    [Fact]
    public void EveryViewHeaderIsAPropertyOfItsType()
    {
        var assembly = typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly;
        var views = XDocument.Load(FormatFile).Descendants("View").ToList();
        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
            var type = assembly.GetType(typeName) ?? typeof(StackExchange.Redis.IDatabase).Assembly.GetType(typeName, throwOnError: true)!;
            var headers = view.Descendants("TableColumnHeader").ToList();
            var items = view.Descendants("TableColumnItem").ToList();
            Assert.Equal(headers.Count, items.Count);
            for (var i = 0; i < headers.Count; i++)
            {
                var label = headers[i].Element("Label")?.Value ?? items[i].Element("PropertyName")!.Value;
                Assert.True(type.GetProperty(label) is not null, $"{typeName}: column '{label}' is not a property of the type");
                if (items[i].Element("PropertyName") is { } property) Assert.Equal(label, property.Value);
            }
            Assert.True(headers.Count(h => h.Element("Width") is null) <= 1, $"{typeName}: more than one column without a width");
        }
    }

    /// <summary>The first address of the sample's first block (the file's third record), which maps to a city.</summary>
    private static string FirstBlockStart(string samples)
    {
        var line = System.IO.File.ReadLines(System.IO.Path.Combine(samples, "GeoLiteCity-Blocks.csv")).Skip(2).First();
        var start = long.Parse(line.Split(',')[0].Trim('"'));
        return $"{start >> 24 & 255}.{start >> 16 & 255}.{start >> 8 & 255}.{start & 255}";
    }

    public void Dispose() => server.Dispose();
}
