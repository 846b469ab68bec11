using System.Collections.Generic;
using System.Text;
using RedisComponents.Geo;

namespace RedisComponents.Tests.Geo;

public class GeoCsvFileTests : IClassFixture<GeoFixture>
{
    private readonly GeoFixture fixture;

    public GeoCsvFileTests(GeoFixture fixture) => this.fixture = fixture;

    private static List<(long Index, long Line, string[] Fields)> ReadAll(string path)
    {
        var records = new List<(long, long, string[])>();
        using var file = GeoCsvFile.Open(path);
        while (file.Read()) records.Add((file.Index, file.Line, file.Fields));
        return records;
    }

    [Fact]
    public void RecordsAreNumberedLikePythonsEnumerateAndKeepTheirPhysicalLine()
    {
        // Python: enumerate(csv.reader(...)) gives 0 copyright, 1 header, 2 data, 3 [] (blank), 4 the two-line record, 5 data.
        var path = fixture.Write("enumerate.csv", "Copyright (c) MaxMind\nstartIpNum,endIpNum,locId\n\"1\",\"2\",\"3\"\n\n\"a\nb\",x,y\n4,5,6\n");
        var records = ReadAll(path);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, records.ConvertAll(r => r.Index));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 7 }, records.ConvertAll(r => r.Line));
        Assert.Equal(new[] { "1", "2", "3" }, records[2].Fields);
        Assert.Equal(new[] { "a\nb", "x", "y" }, records[4].Fields);
    }

    [Fact]
    public void QuotedFieldsWithCommasQuotesAndStrayQuotesParseLikePythonsCsv()
    {
        var path = fixture.Write("quotes.csv", "1,\"Washington, D.C.\",\"Quote \"\"Town\"\"\",ab\"c\r\n");
        var record = Assert.Single(ReadAll(path));
        Assert.Equal(new[] { "1", "Washington, D.C.", "Quote \"Town\"", "ab\"c" }, record.Fields);
    }

    [Fact]
    public void LegacyFilesAreLatin1AndGeoLite2FilesUtf8()
    {
        var legacy = fixture.Write("legacy-loc.csv", "locId,country,region,city\n1,\"BR\",\"27\",\"S\u00e3o Paulo\"\n", Encoding.Latin1);
        var geolite2 = fixture.Write("geolite2-loc.csv", "geoname_id,city_name\n1,\u6771\u4eac\n", new UTF8Encoding(false));
        using (var file = GeoCsvFile.Open(legacy))
        {
            Assert.Equal(Encoding.Latin1.WebName, file.Encoding.WebName);
        }
        Assert.Equal("S\u00e3o Paulo", ReadAll(legacy)[1].Fields[3]);
        Assert.Equal("\u6771\u4eac", ReadAll(geolite2)[1].Fields[1]);
    }

    [Fact]
    public void PositionReachesTheFileLength()
    {
        var path = fixture.Generated("pos-blocks.csv", p => GeoDataGenerator.WriteLegacyBlocks(p, 5000, 10));
        using var file = GeoCsvFile.Open(path);
        while (file.Read())
        {
        }
        Assert.Equal(file.Length, file.Position);
        Assert.Equal(5000 + 3 - 1, file.Index); // copyright, header, blank line
    }
}
