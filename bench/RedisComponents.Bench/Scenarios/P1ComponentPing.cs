using System.Collections.Generic;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Bench.Scenarios;

/// <summary>P1: a warm PING through the ComponentCmdlet base vs the same cmdlet on raw StackExchange.Redis, in one runspace.</summary>
internal sealed class P1ComponentPing : IScenario
{
    public string Id => "P1";
    public string Title => "warm per-call overhead of the ComponentCmdlet base";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var host = context.NewHost();
        host.Run("Import-Module $m", new() { ["m"] = typeof(P1ComponentPing).Assembly.Location }).ThrowIfFailed();
        InvokeBenchRawPingCommand.Database = context.Raw.GetDatabase();
        var n = context.Scale(20_000);
        var vars = new Dictionary<string, object?> { ["n"] = n, ["db"] = context.Raw.GetDatabase() };

        double PerCallMicros(string loopBody)
        {
            var script = "for ($i = 0; $i -lt $n; $i++) { $null = " + loopBody + " }";
            var t = Measure.Median(() => host.Run(script, vars).ThrowIfFailed(), runs: 5);
            return t.TotalMilliseconds * 1000 / n;
        }

        var ours = PerCallMicros("Invoke-BenchComponentPing -Component bench");
        var raw = PerCallMicros("Invoke-BenchRawPing -Component bench");
        var ratio = ours / raw;
        yield return new BenchRow(Id, $"cmdlet PING, per call ({n} calls)", Measure.Us(ours), Measure.Us(raw), Measure.Ratio(ratio), "≤ 1.30×", ratio <= 1.3);

        var test = PerCallMicros("Test-RedisComponent -Component bench");
        var method = PerCallMicros("$db.Ping()");
        yield return new BenchRow(Id, "Test-RedisComponent vs `$db.Ping()` in a script loop", Measure.Us(test), Measure.Us(method), Measure.Ratio(test / method), "(context)", null);
    }
}
