using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Connections;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections.Faults;

/// <summary>One component's resolution hanging (a black-holed server with a long connect timeout) must hold up nothing else.</summary>
public sealed class ConcurrencyFaultTests : IDisposable
{
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();
    private readonly SilentListener hole = new();

    public ConcurrencyFaultTests()
    {
        configServer.SetConfig("app", FaultHosts.HealthyConfig(data.Host, data.Port));
        // 30 s: the hung resolution is certainly still waiting when the assertions run.
        configServer.SetConfig("hung", $"{{\"host\": \"127.0.0.1\", \"port\": {hole.Port}, \"socket_timeout\": 30, \"socket_connect_timeout\": 30}}");
    }

    public void Dispose()
    {
        hole.Dispose();
        data.Dispose();
        configServer.Dispose();
    }

    [Fact]
    public void HealthyComponentsResolveOnOtherThreadsWhileAnotherComponentsResolutionHangs()
    {
        using var session = new ComponentSession();
        session.UseConfigServer(new ConfigServer(configServer.Endpoint), refreshSeconds: 1);
        using var giveUp = new CancellationTokenSource();

        var hung = Enumerable.Range(0, 3).Select(_ => Task.Run(() => session.Resolve("hung", cancel: giveUp.Token))).ToArray();
        Wait.Until(() => hole.Accepted > 0, "the hung component's connect to reach the black hole");

        var healthy = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            using var connection = session.Resolve("app");
            return connection.Database.StringIncrement("probe");
        })).ToArray();
        Assert.True(Task.WaitAll(healthy, TimeSpan.FromSeconds(20)), "the healthy component's calls did not complete");
        Assert.Equal(new long[] { 1, 2, 3, 4 }, healthy.Select(t => t.Result).OrderBy(n => n));
        Assert.All(hung, t => Assert.False(t.IsCompleted, "the hung component's resolution ended early"));
        // At most one resolution per component is in flight: the three callers share one connect.
        Assert.True(hole.Accepted <= 2, $"{hole.Accepted} connections to the black hole"); // interactive + subscription

        // The waits end when their callers give up (Ctrl+C, a completer's budget), long before the connect timeout.
        giveUp.Cancel();
        Assert.True(Task.WhenAll(hung).ContinueWith(_ => { }).Wait(TimeSpan.FromSeconds(10)), "the hung waits did not end when cancelled");
        Assert.All(hung, t => Assert.True(t.IsCanceled || t.Exception?.InnerException is OperationCanceledException, t.Status.ToString()));

        // The resolution itself still runs in the background; a healthy component is still served at once.
        using var again = session.Resolve("app");
        Assert.Equal(5, again.Database.StringIncrement("probe"));
    }

    [Fact]
    public void CtrlCDuringAWaitOnAHungComponentReturnsPromptly()
    {
        using var host = new PsHost(configServer.Endpoint, withTestCmdlets: true);
        using var ps = PowerShell.Create(host.Runspace);
        ps.AddScript("Invoke-TestComponentIncrement -Component hung");
        var running = ps.BeginInvoke();
        Wait.Until(() => hole.Accepted > 0, "the command to wait on the black hole");
        Assert.False(running.IsCompleted);

        var stop = Task.Run(ps.Stop);
        // Bounded: the connect timeout is 30 s, so a Stop that waited for it would fail here.
        Assert.True(stop.Wait(TimeSpan.FromSeconds(10)), "Stop did not return within 10 s");
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the pipeline did not end after Stop");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);

        // The runspace is usable at once for a healthy component.
        var next = host.RunBounded("Invoke-TestComponentIncrement -Component app", seconds: 10).ThrowIfFailed();
        Assert.Equal("1", next.Output.Single().ToString());
    }
}
