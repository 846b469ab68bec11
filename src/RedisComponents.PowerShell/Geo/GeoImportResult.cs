using System;
using System.Globalization;

namespace RedisComponents.Geo;

/// <summary>What Import-RedisIpBlock and Import-RedisCityLocation report for one file.</summary>
public sealed class GeoImportResult
{
    public string Component { get; init; } = "";
    public string Path { get; init; } = "";
    public GeoFileFormat Format { get; init; }

    /// <summary>CSV records read, copyright line, header and blank lines included.</summary>
    public long Records { get; init; }

    /// <summary>Rows written (IP blocks or locations).</summary>
    public long Imported { get; init; }

    /// <summary>Records that are no data (preamble, header, blank lines, GeoLite2 blocks without any geoname id).</summary>
    public long Skipped { get; init; }

    /// <summary>Rows reported as errors and left out.</summary>
    public long Malformed { get; init; }

    /// <summary>The keys replaced (empty when nothing was imported).</summary>
    public string[] Keys { get; init; } = Array.Empty<string>();

    public TimeSpan Elapsed { get; init; }

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Imported / Elapsed.TotalSeconds : 0;

    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0:N0} rows from {1} ({2}) into {3} on '{4}' in {5:0.0} s; {6:N0} malformed",
            Imported, System.IO.Path.GetFileName(Path), Format, Keys.Length == 0 ? "(nothing)" : string.Join(", ", Keys), Component, Elapsed.TotalSeconds, Malformed);
}

/// <summary>A row that could not be imported, with where it is in the file.</summary>
public sealed class GeoRowError
{
    public string Path { get; init; } = "";

    /// <summary>1-based physical line where the record starts.</summary>
    public long Line { get; init; }

    /// <summary>0-based record number (the book's enumerate count).</summary>
    public long Record { get; init; }

    public string Problem { get; init; } = "";

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)} line {Line}: {Problem}";
}

/// <summary>Progress of an import: records read and bytes of the file consumed.</summary>
public readonly record struct GeoImportProgress(long Records, long Imported, long BytesRead, long TotalBytes)
{
    public int Percent => TotalBytes <= 0 ? 100 : (int)Math.Min(100, BytesRead * 100 / TotalBytes);
}
