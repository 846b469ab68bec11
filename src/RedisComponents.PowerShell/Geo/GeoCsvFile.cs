using System;
using System.Globalization;
using System.IO;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace RedisComponents.Geo;

/// <summary>
/// Streams the records of a MaxMind CSV file with CsvHelper, numbering them the way the book's
/// <c>enumerate(csv.reader(...))</c> does (every record from 0, blank lines and the copyright line
/// included) and remembering the physical line each record starts on, for error messages.
/// Legacy files are Latin-1 (the book decodes them so); GeoLite2 files are UTF-8.
/// </summary>
internal sealed class GeoCsvFile : IDisposable
{
    private const int SniffBytes = 64 * 1024;
    private readonly FileStream stream;
    private readonly CsvParser parser;
    private long lastRawRow;

    private GeoCsvFile(string path, FileStream stream, Encoding encoding)
    {
        Path = path;
        this.stream = stream;
        Encoding = encoding;
        Length = stream.Length;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = false, // Python's csv.reader yields [] for them, and enumerate counts them
            BadDataFound = null,      // a stray quote inside a field is kept as text, like Python's csv
            DetectColumnCountChanges = false,
        };
        parser = new CsvParser(new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024), config);
    }

    public string Path { get; }
    public Encoding Encoding { get; }
    public long Length { get; }

    /// <summary>Bytes consumed so far (read-ahead included), for progress.</summary>
    public long Position => stream.Position;

    /// <summary>The current record's fields.</summary>
    public string[] Fields { get; private set; } = Array.Empty<string>();

    /// <summary>0-based record number, like Python's enumerate over csv.reader.</summary>
    public long Index { get; private set; } = -1;

    /// <summary>1-based physical line the current record starts on.</summary>
    public long Line { get; private set; }

    public static GeoCsvFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            var encoding = DetectEncoding(stream);
            return new GeoCsvFile(path, stream, encoding);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public bool Read()
    {
        if (!parser.Read()) return false;
        Index++;
        Line = lastRawRow + 1;
        lastRawRow = parser.RawRow;
        Fields = parser.Record ?? Array.Empty<string>();
        return true;
    }

    /// <summary>
    /// UTF-8 for GeoLite2 files (header starting with geoname_id or network) or a UTF-8 BOM; Latin-1
    /// otherwise, as the book decodes the legacy files. Rewinds the stream (past a BOM).
    /// </summary>
    private static Encoding DetectEncoding(FileStream stream)
    {
        var buffer = new byte[SniffBytes];
        var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var head = buffer.AsSpan(0, n);
        if (head.StartsWith("\uFEFF"u8))
        {
            stream.Position = 3;
            return new UTF8Encoding(false);
        }
        stream.Position = 0;
        var text = Encoding.Latin1.GetString(head);
        foreach (var line in text.Split('\n'))
        {
            var first = line.TrimStart('"');
            if (first.StartsWith("geoname_id", StringComparison.Ordinal) || first.StartsWith("network", StringComparison.Ordinal))
            {
                return new UTF8Encoding(false);
            }
        }
        return Encoding.Latin1;
    }

    public void Dispose()
    {
        parser.Dispose();
        stream.Dispose();
    }
}
