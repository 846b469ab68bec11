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
/// Memory is bounded whatever the file holds: a field over <see cref="MaxFieldChars"/> (CsvHelper's
/// MaxFieldSize) or a record over <see cref="MaxRecordChars"/> ends the read with
/// <see cref="GeoRowTooLargeException"/> before it is buffered (no MaxMind row comes near either).
/// </summary>
internal sealed class GeoCsvFile : IDisposable
{
    /// <summary>Longest field accepted (MaxMind fields are under 200 characters).</summary>
    internal const int MaxFieldChars = 64 * 1024;

    /// <summary>Longest record accepted, all fields and line breaks together.</summary>
    internal const int MaxRecordChars = 1024 * 1024;

    private const int SniffBytes = 64 * 1024;
    private readonly FileStream stream;
    private readonly RecordBoundReader reader;
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
            MaxFieldSize = MaxFieldChars,
        };
        reader = new RecordBoundReader(new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024), MaxRecordChars);
        parser = new CsvParser(reader, config);
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

    /// <summary>Reads the next record; throws <see cref="GeoRowTooLargeException"/> for an oversized field or record.</summary>
    public bool Read()
    {
        try
        {
            if (!parser.Read()) return false;
        }
        catch (MaxFieldSizeException)
        {
            throw new GeoRowTooLargeException(lastRawRow + 1, $"a field is longer than {MaxFieldChars:N0} characters");
        }
        catch (Exception ex) when (ex is RecordTooLongException || ex.InnerException is RecordTooLongException)
        {
            throw new GeoRowTooLargeException(lastRawRow + 1, $"a row is longer than {MaxRecordChars:N0} characters");
        }
        reader.RecordEnded();
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

    /// <summary>Counts the characters handed to the parser since the last record ended and refuses more than a record may hold.</summary>
    private sealed class RecordBoundReader : TextReader
    {
        private readonly TextReader inner;
        private readonly long limit;
        private long sinceRecord;

        public RecordBoundReader(TextReader inner, long limit)
        {
            this.inner = inner;
            this.limit = limit;
        }

        public void RecordEnded() => sinceRecord = 0;

        public override int Peek() => inner.Peek();

        public override int Read()
        {
            var c = inner.Read();
            if (c >= 0) Count(1);
            return c;
        }

        public override int Read(char[] buffer, int index, int count) => Count(inner.Read(buffer, index, count));

        public override int Read(Span<char> buffer) => Count(inner.Read(buffer));

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        private int Count(int n)
        {
            sinceRecord += n;
            if (sinceRecord > limit) throw new RecordTooLongException();
            return n;
        }
    }
}

/// <summary>Thrown inside the parser's read; <see cref="GeoCsvFile.Read"/> turns it into a <see cref="GeoRowTooLargeException"/> with the line.</summary>
internal sealed class RecordTooLongException : Exception
{
}

/// <summary>A field or record too large to be a MaxMind row: the file is refused, nothing is changed.</summary>
internal sealed class GeoRowTooLargeException : Exception
{
    public GeoRowTooLargeException(long line, string message) : base(message) => Line = line;

    /// <summary>1-based physical line near which the oversized row starts .</summary>
    public long Line { get; }
}
