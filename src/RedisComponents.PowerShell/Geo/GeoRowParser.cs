using System;
using System.Linq;

namespace RedisComponents.Geo;

/// <summary>What became of one CSV record.</summary>
internal enum RowOutcome
{
    /// <summary>Written to the staging keys.</summary>
    Imported,

    /// <summary>Not data: copyright line, header, blank line, or a row the format says to leave out.</summary>
    Skipped,

    /// <summary>Data that cannot be used; reported with its line number.</summary>
    Malformed,
}

/// <summary>The file formats the importers recognise.</summary>
public enum GeoFileFormat
{
    Unknown,
    LegacyBlocks,
    GeoLite2Blocks,
    LegacyLocations,
    GeoLite2Locations,
}

/// <summary>A file that is not the kind the cmdlet imports (e.g. a Locations file given to Import-RedisIpBlock).</summary>
internal sealed class GeoFileFormatException : Exception
{
    public GeoFileFormatException(string message) : base(message)
    {
    }
}

/// <summary>A file whose malformed rows are too large a share of its data rows: the index is not replaced.</summary>
internal sealed class GeoImportRefusedException : Exception
{
    public GeoImportRefusedException(long imported, long malformed, double maxPercent)
        : base(FormattableString.Invariant($"{malformed:N0} of its {imported + malformed:N0} data rows are malformed ({Share(imported, malformed):0.##} %, more than the {maxPercent:0.##} % allowed)"))
    {
        Imported = imported;
        Malformed = malformed;
    }

    public long Imported { get; }
    public long Malformed { get; }

    internal static double Share(long imported, long malformed) => imported + malformed == 0 ? 0 : malformed * 100.0 / (imported + malformed);
}

/// <summary>Turns records of one kind of file into writes on the staging keys.</summary>
internal interface IGeoRowParser
{
    GeoFileFormat Format { get; }

    /// <summary>Handles one record; on <see cref="RowOutcome.Malformed"/>, <paramref name="problem"/> says why.</summary>
    RowOutcome Accept(GeoCsvFile file, StagedKeyWriter writer, out string? problem);
}

/// <summary>
/// What both parsers share: records before the header (or before the first data row) are preamble and
/// skipped, like the book skips the copyright line; blank records are skipped anywhere; after that,
/// every record must be good data. The header, when present, fixes the column count.
/// </summary>
internal abstract class GeoRowParserBase : IGeoRowParser
{
    protected int HeaderColumns { get; private set; }

    public GeoFileFormat Format { get; protected set; } = GeoFileFormat.Unknown;

    public RowOutcome Accept(GeoCsvFile file, StagedKeyWriter writer, out string? problem)
    {
        problem = null;
        var fields = file.Fields;
        if (fields.Length == 0 || (fields.Length == 1 && fields[0].Length == 0)) return RowOutcome.Skipped;
        if (Format == GeoFileFormat.Unknown || HeaderColumns == 0)
        {
            var header = RecognizeHeader(fields);
            if (header != GeoFileFormat.Unknown)
            {
                if (Format != GeoFileFormat.Unknown) { problem = "a second header row"; return RowOutcome.Malformed; }
                Format = header;
                HeaderColumns = fields.Length;
                return RowOutcome.Skipped;
            }
            if (Format == GeoFileFormat.Unknown)
            {
                Format = RecognizeData(fields);
                // One-field rows before the data are a preamble (the copyright line the book skips); anything wider is no file of ours.
                if (Format == GeoFileFormat.Unknown && fields.Length == 1) return RowOutcome.Skipped;
                if (Format == GeoFileFormat.Unknown) throw new GeoFileFormatException($"its row {Quote(string.Join(",", fields.Take(4)))} (line {file.Line}) is neither a header it knows ({ExpectedHeaders}) nor data");
            }
        }
        if (HeaderColumns > 0 && fields.Length != HeaderColumns)
        {
            problem = $"{fields.Length} columns where the header has {HeaderColumns}";
            return RowOutcome.Malformed;
        }
        return AcceptData(fields, file.Index, writer, out problem);
    }

    /// <summary>The headers this parser knows, for messages.</summary>
    protected abstract string ExpectedHeaders { get; }

    /// <summary>The format a header row announces, or Unknown if the row is no header of ours (throws for the other kind of file).</summary>
    protected abstract GeoFileFormat RecognizeHeader(string[] fields);

    /// <summary>The format of a header-less file from its first data row, or Unknown while the row is preamble.</summary>
    protected abstract GeoFileFormat RecognizeData(string[] fields);

    protected abstract RowOutcome AcceptData(string[] fields, long index, StagedKeyWriter writer, out string? problem);

    /// <summary>Longest part of a file's text quoted in a message.</summary>
    internal const int QuotedChars = 40;

    /// <summary>A field of the file, quoted for a message: at most <see cref="QuotedChars"/> characters and its length.</summary>
    internal static string Quote(string field) =>
        field.Length <= QuotedChars
            ? "'" + field + "'"
            : "'" + field[..QuotedChars] + "...' (" + field.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " characters)";

    protected static bool Is(string field, string name) => field.Trim().Equals(name, StringComparison.OrdinalIgnoreCase);

    protected static bool TooFew(string[] fields, int needed, out string? problem)
    {
        problem = fields.Length < needed ? $"{fields.Length} columns where at least {needed} are needed" : null;
        return problem is not null;
    }
}
