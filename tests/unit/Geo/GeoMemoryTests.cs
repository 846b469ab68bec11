using System;
using System.IO;
using System.Linq;
using RedisComponents.Geo;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Geo;

/// <summary>Tests that measure this process's memory run alone, so no other test's allocations count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory";
}

/// <summary>A 200 MB field through Import-RedisIpBlock: refused before it is buffered, the old index kept.</summary>
[Collection(ProcessMemoryCollection.Name)]
public class GeoMemoryTests : IClassFixture<GeoFixture>
{
    private const long FieldBytes = 200L * 1024 * 1024;
    private readonly GeoFixture fixture;

    public GeoMemoryTests(GeoFixture fixture) => this.fixture = fixture;

    [Fact]
    public void AFieldOf200MegabytesIsRefusedWithFlatMemoryAndAShortMessage()
    {
        var old = GeoHostileCsvTests.OldIndex(fixture);
        var path = Path.Combine(fixture.Directory, "huge-field.csv");
        try
        {
            WriteHugeField(path);
            fixture.Ps.Runspace.SessionStateProxy.SetVariable("p", path);
            PsResult? result = null;
            var growth = PeakGrowth(() => result = fixture.Ps.Run("Import-RedisIpBlock -Component geo -LiteralPath $p"));

            var error = Assert.Single(result!.Errors);
            Assert.Equal("RowTooLarge", GeoHostileCsvTests.Id(error));
            Assert.Contains("line 3", error.ErrorDetails.Message);
            Assert.Contains("65,536 characters", error.ErrorDetails.Message);
            Assert.InRange(error.ErrorDetails.Message.Length - path.Length, 1, 400);
            Assert.Equal(path, error.TargetObject);
            Assert.Empty(result.Output);
            GeoHostileCsvTests.AssertUnchanged(fixture, old);
            Assert.True(growth <= 100L * 1024 * 1024, $"peak working set grew by {growth / (1024 * 1024)} MB reading a 200 MB field");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A legacy Blocks file whose third line's location id is 200 MB of digits, written in 1 MB chunks.</summary>
    private static void WriteHugeField(string path)
    {
        using var w = new StreamWriter(path, false, System.Text.Encoding.Latin1);
        w.Write("startIpNum,endIpNum,locId\n1,10,7\n20,30,");
        var chunk = new string('8', 1024 * 1024);
        for (long written = 0; written < FieldBytes; written += chunk.Length) w.Write(chunk);
        w.Write("\n40,50,9\n");
    }

    /// <summary>
    /// How far the process's peak resident set rose above its size before <paramref name="action"/>: Linux's
    /// VmHWM (Process.PeakWorkingSet64), reset first by writing 5 to /proc/self/clear_refs.
    /// </summary>
    private static long PeakGrowth(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var before = self.WorkingSet64;
        action();
        self.Refresh();
        return self.PeakWorkingSet64 - before;
    }
}
