using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// README's rule for positional parameters: -Component is position 0 on every cmdlet that has it; the
/// cmdlet's key name (-Name, -Context, ...) follows at position 1.
/// </summary>
public sealed class ParameterConsistencyTests : IDisposable
{
    private readonly RedisServer server = TestRedis.StartOwned();

    [Fact]
    public void ComponentIsPositionZeroEverywhere()
    {
        var cmdlets = typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null).ToList();
        Assert.NotEmpty(cmdlets);
        foreach (var cmdlet in cmdlets)
        {
            var component = cmdlet.GetProperty("Component");
            if (component is null) continue;
            Assert.All(component.GetCustomAttributes<ParameterAttribute>(), p => Assert.True(p.Position == 0, $"{cmdlet.Name}: -Component is not position 0"));
            foreach (var key in new[] { "Name", "Context" })
            {
                var parameter = cmdlet.GetProperty(key);
                if (parameter is null) continue;
                Assert.All(parameter.GetCustomAttributes<ParameterAttribute>(), p => Assert.True(p.Position == 1, $"{cmdlet.Name}: -{key} is not position 1"));
            }
        }
    }

    [Fact]
    public void DataCmdletsTakeComponentAndNameByPosition()
    {
        using var ps = new PsHost(server.Endpoint, refreshSeconds: 0);
        ps.Run("Set-RedisComponentConfig logs -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();
        var result = ps.Run(@"
            Write-RedisRecentLog logs web 'started'
            Get-RedisRecentLog logs web | ForEach-Object Message
            Update-RedisStatistic logs checkout ms 5
            (Get-RedisStatistic logs checkout ms).Count
            Measure-RedisAccessTime logs 'db' { 'measured' }").ThrowIfFailed();
        Assert.Equal(new object[] { "started", 1L, "measured" }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void AFailedTestOfAnUnknownComponentShowsNoEndpoint()
    {
        using var ps = new PsHost(server.Endpoint);
        var result = ps.Run("Test-RedisComponent nosuch").ThrowIfFailed().Single<RedisComponents.Connections.Commands.ComponentTestResult>();
        Assert.False(result.Reachable);
        Assert.Null(result.Endpoint); // not the config server's address
        Assert.Contains("nosuch", result.Error);
    }

    public void Dispose() => server.Dispose();
}
