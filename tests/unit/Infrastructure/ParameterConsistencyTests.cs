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

    /// <summary>Every cmdlet that writes data (verbs Write, Update, Set, Enable, Disable) can output what it wrote.</summary>
    [Fact]
    public void EveryWriterHasPassThru()
    {
        var writers = typeof(RedisComponents.Infrastructure.RedisComponentsCmdlet).Assembly.GetTypes()
            .Select(t => (Type: t, Cmdlet: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(c => c.Cmdlet is { VerbName: "Write" or "Update" or "Set" or "Enable" or "Disable" }).ToList();
        Assert.True(writers.Count >= 7, $"{writers.Count} writers");
        Assert.All(writers, w => Assert.True(w.Type.GetProperty("PassThru")?.GetCustomAttributes<ParameterAttribute>().Any() == true,
            $"{w.Cmdlet!.VerbName}-{w.Cmdlet.NounName} has no -PassThru"));

        using var ps = new PsHost(server.Endpoint, refreshSeconds: 0);
        ps.Run("Set-RedisComponentConfig logs -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();
        var output = ps.Run(@"
            Write-RedisCommonLog logs web 'disk full' -PassThru | ForEach-Object Message
            Update-RedisCounter logs hits -Count 2 -PassThru | ForEach-Object Count
            Enable-RedisMaintenance -PassThru
            Disable-RedisMaintenance -PassThru
            Disable-RedisMaintenance -PassThru -WhatIf").ThrowIfFailed().Output.Select(o => o.BaseObject).ToArray();
        Assert.Equal(new object[] { "disk full", 2L, true, false }, output);
    }

    /// <summary>
    /// README's rule for unknown names: a reader of data (log, counter, statistic) given a name without data
    /// returns nothing and writes no error (-Verbose says which key was empty); an unknown component is an error.
    /// </summary>
    [Fact]
    public void UnknownNamesReturnNothingAndAnUnknownComponentIsAnError()
    {
        using var ps = new PsHost(server.Endpoint, refreshSeconds: 0);
        ps.Run("Set-RedisComponentConfig logs -ConnectionString $e", new() { ["e"] = server.Endpoint }).ThrowIfFailed();
        var result = ps.Run(@"
            Get-RedisRecentLog logs nosuch
            Get-RedisCommonLog logs nosuch -Previous
            Get-RedisCounter logs nosuch 60
            Get-RedisCounter logs 'nosuch*'
            Get-RedisStatistic logs nosuch AccessTime
            Get-RedisComponentConfig 'nosuch*'
            'went on'");
        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(new object[] { "went on" }, result.Output.Select(o => o.BaseObject).ToArray());

        var unknown = ps.Run("Get-RedisRecentLog nosuch-component web").SingleError();
        Assert.StartsWith("ComponentConfigNotFound,", unknown.FullyQualifiedErrorId);
    }

    public void Dispose() => server.Dispose();
}
