using System;
using System.Globalization;
using RedisComponents.Geo;

namespace RedisComponents.Tests.Geo;

public class IpAddressScoreTests
{
    /// <summary>The book's ip_to_score, transliterated.</summary>
    private static long BookScore(string ip)
    {
        long score = 0;
        foreach (var v in ip.Split('.')) score = score * 256 + int.Parse(v, CultureInfo.InvariantCulture);
        return score;
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("203.0.113.7")]
    [InlineData("255.255.255.255")]
    public void DottedQuadScoresLikeTheBook(string ip)
    {
        Assert.True(IpAddressScore.TryParseIPv4(ip, out var score));
        Assert.Equal(BookScore(ip), score);
        Assert.Equal(ip, IpAddressScore.FormatIPv4(score));
    }

    [Theory]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..3.4")]
    [InlineData("1.2.3.")]
    [InlineData(" 1.2.3.4")]
    [InlineData("+1.2.3.4")]
    [InlineData("a.b.c.d")]
    [InlineData("")]
    public void MalformedDottedQuadsAreRejected(string ip) => Assert.False(IpAddressScore.TryParseIPv4(ip, out _));

    [Theory]
    [InlineData("16777216", 16777216u)]
    [InlineData("4294967295", 4294967295u)]
    [InlineData("1.0.0.0", 16777216u)]
    public void LegacyAddressesAreIntegersOrDotted(string text, uint expected)
    {
        Assert.True(IpAddressScore.TryParseLegacy(text, out var score));
        Assert.Equal(expected, score);
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("-1")]
    [InlineData("12a")]
    [InlineData("")]
    public void LegacyAddressesOutOfRangeAreRejected(string text) => Assert.False(IpAddressScore.TryParseLegacy(text, out _));

    [Fact]
    public void Ipv4CidrGivesFirstAndLastAddress()
    {
        Assert.True(IpAddressScore.TryParseCidr("1.0.0.0/24", out var isV6, out var first, out var last, out _));
        Assert.False(isV6);
        Assert.Equal((UInt128)16777216, first);
        Assert.Equal((UInt128)16777471, last);
        Assert.True(IpAddressScore.TryParseCidr("9.9.9.9/32", out _, out first, out last, out _));
        Assert.Equal(first, last);
        Assert.True(IpAddressScore.TryParseCidr("0.0.0.0/0", out _, out _, out last, out _));
        Assert.Equal((UInt128)uint.MaxValue, last);
    }

    [Fact]
    public void Ipv6CidrGivesFirstAndLastAddress()
    {
        Assert.True(IpAddressScore.TryParseCidr("2001:db8::/32", out var isV6, out var first, out var last, out _));
        Assert.True(isV6);
        Assert.Equal("20010db8000000000000000000000000", IpAddressScore.ToHex(first));
        Assert.Equal("20010db8ffffffffffffffffffffffff", IpAddressScore.ToHex(last));
    }

    [Theory]
    [InlineData("1.0.0.1/24", "host bits")]
    [InlineData("1.0.0.0/33", "longer than 32")]
    [InlineData("1.0.0.0", "CIDR")]
    [InlineData("1.0.0/24", "valid IPv4 or IPv6")]
    [InlineData("2001:db8::1/64", "host bits")]
    [InlineData("2001:db8::/129", "longer than 128")]
    [InlineData("1.0.0.0/x", "CIDR")]
    public void BadCidrIsExplained(string text, string expected)
    {
        Assert.False(IpAddressScore.TryParseCidr(text, out _, out _, out _, out var problem));
        Assert.Contains(expected, problem);
        Assert.Contains(text, problem);
    }

    [Fact]
    public void HexIsFixedWidthSoTextOrderIsNumericOrder()
    {
        var small = IpAddressScore.ToHex(UInt128.One << 4);
        var big = IpAddressScore.ToHex(UInt128.One << 100);
        Assert.Equal(32, small.Length);
        Assert.True(string.CompareOrdinal(small, big) < 0);
        Assert.Equal(UInt128.One << 100, IpAddressScore.FromHex(big));
    }

    [Fact]
    public void LookupAcceptsDottedIntegerIpv6AndMappedIpv4()
    {
        Assert.True(IpAddressScore.TryParseLookup("1.2.3.4", out var a));
        Assert.Equal((false, 16909060u), (a.IsV6, a.V4));
        Assert.True(IpAddressScore.TryParseLookup("16909060", out a));
        Assert.Equal((false, 16909060u), (a.IsV6, a.V4));
        Assert.True(IpAddressScore.TryParseLookup("::ffff:1.2.3.4", out a));
        Assert.Equal((false, 16909060u), (a.IsV6, a.V4));
        Assert.True(IpAddressScore.TryParseLookup("2001:db8::1", out a));
        Assert.True(a.IsV6);
        Assert.Equal("20010db8000000000000000000000001", IpAddressScore.ToHex(a.V6));
        Assert.False(IpAddressScore.TryParseLookup("1.2.3.256", out _));
        Assert.False(IpAddressScore.TryParseLookup("not-an-ip", out _));
        Assert.False(IpAddressScore.TryParseLookup("2001:db8:::1", out _));
    }
}
