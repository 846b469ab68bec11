using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using StackExchange.Redis;

namespace RedisComponents.Geo;

/// <summary>Which kind of file an import reads.</summary>
public enum GeoImportKind
{
    IpBlocks,
    CityLocations,
}

/// <summary>
/// Streams one CSV file into staging keys and swaps them in when the whole file is read: readers see the
/// old index or the new one, never half of one. A malformed row is reported and skipped; an exception
/// (Redis down, Ctrl+C, -ErrorAction Stop on a row error) drops the staging keys and leaves the old data.
/// </summary>
internal sealed class GeoImporter
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private readonly IDatabase db;
    private readonly CancellationToken token;

    /// <summary>True on a Redis Cluster: the module's companion keys and the staging keys carry the book key's hash tag.</summary>
    public bool Cluster { get; init; }

    public GeoImporter(IDatabase db, CancellationToken token)
    {
        this.db = db;
        this.token = token;
    }

    public Action<GeoImportProgress>? Progress { get; init; }
    public Action<GeoRowError>? Malformed { get; init; }
    public int BatchSize { get; init; } = 2000;

    /// <summary>Largest share of malformed data rows (percent of imported + malformed) that still replaces the index.</summary>
    public double MaxMalformedPercent { get; init; } = 1;

    /// <summary>
    /// Imports <paramref name="path"/>. Throws, leaving the old data: <see cref="GeoFileFormatException"/> for a file
    /// of the other kind or of no known format, <see cref="GeoRowTooLargeException"/> for an oversized field or
    /// row, <see cref="GeoImportRefusedException"/> when more than <see cref="MaxMalformedPercent"/> of the rows are malformed.
    /// </summary>
    public GeoImportResult Import(GeoImportKind kind, string path, string component)
    {
        IGeoRowParser parser = kind == GeoImportKind.IpBlocks ? new BlockRowParser() : new LocationRowParser();
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        long imported = 0, skipped = 0, malformed = 0;
        using var file = GeoCsvFile.Open(path);
        using var writer = new StagedKeyWriter(db, token, BatchSize, cluster: Cluster);
        while (file.Read())
        {
            switch (parser.Accept(file, writer, out var problem))
            {
                case RowOutcome.Imported: imported++; break;
                case RowOutcome.Skipped: skipped++; break;
                default:
                    malformed++;
                    Malformed?.Invoke(new GeoRowError { Path = path, Line = file.Line, Record = file.Index, Problem = problem ?? "malformed row" });
                    break;
            }
            if ((file.Index & 1023) == 0)
            {
                token.ThrowIfCancellationRequested();
                if (clock.Elapsed - lastProgress >= ProgressInterval)
                {
                    lastProgress = clock.Elapsed;
                    Progress?.Invoke(new GeoImportProgress(file.Index + 1, imported, file.Position, file.Length));
                }
            }
        }
        token.ThrowIfCancellationRequested();
        if (malformed > 0 && GeoImportRefusedException.Share(imported, malformed) > MaxMalformedPercent)
        {
            throw new GeoImportRefusedException(imported, malformed, MaxMalformedPercent);
        }
        var keys = imported > 0 ? writer.Commit() : Array.Empty<string>();
        Progress?.Invoke(new GeoImportProgress(file.Index + 1, imported, file.Length, file.Length));
        return new GeoImportResult
        {
            Component = component,
            Path = path,
            Format = parser.Format,
            Records = file.Index + 1,
            Imported = imported,
            Skipped = skipped,
            Malformed = malformed,
            Keys = keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(),
            Elapsed = clock.Elapsed,
        };
    }
}
