using System;
using System.IO;
using System.Linq;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Geo;

/// <summary>The committed samples in examples/data are exactly what the generator writes (so they can be regenerated).</summary>
public class GeoSampleTests
{
    private static readonly string SampleDirectory = Path.Combine(RepositoryRoot.Path, "examples", "data");

    [Fact]
    public void CommittedSamplesAreTheGeneratorsOutput()
    {
        // REDIS_COMPONENTS_WRITE_GEO_SAMPLES=1 rewrites them (after a deliberate generator change).
        if (Environment.GetEnvironmentVariable("REDIS_COMPONENTS_WRITE_GEO_SAMPLES") == "1") GeoDataGenerator.WriteSampleSet(SampleDirectory);
        var fresh = Path.Combine(Path.GetTempPath(), "geo-samples-" + Guid.NewGuid().ToString("N"));
        try
        {
            GeoDataGenerator.WriteSampleSet(fresh);
            var names = Directory.GetFiles(fresh).Select(Path.GetFileName).OrderBy(n => n).ToList();
            Assert.Equal(5, names.Count);
            foreach (var name in names)
            {
                var committed = Path.Combine(SampleDirectory, name!);
                Assert.True(File.Exists(committed), $"examples/data/{name} is missing");
                Assert.Equal(File.ReadAllBytes(Path.Combine(fresh, name!)), File.ReadAllBytes(committed));
                Assert.InRange(new FileInfo(committed).Length, 500, 8 * 1024);
            }
        }
        finally
        {
            Directory.Delete(fresh, true);
        }
    }
}
