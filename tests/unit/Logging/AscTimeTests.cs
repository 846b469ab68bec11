using System;
using RedisComponents.Logging;

namespace RedisComponents.Tests.Logging;

public class AscTimeTests
{
    [Theory]
    [InlineData(2026, 11, 24, 10, 0, 0, "Tue Nov 24 10:00:00 2026")]
    [InlineData(2026, 11, 4, 9, 5, 3, "Wed Nov  4 09:05:03 2026")]
    [InlineData(2027, 1, 1, 0, 0, 0, "Fri Jan  1 00:00:00 2027")]
    [InlineData(2026, 2, 28, 23, 59, 59, "Sat Feb 28 23:59:59 2026")]
    public void FormatsLikePythonsAsctime(int y, int mo, int d, int h, int mi, int s, string expected)
    {
        var formatted = AscTime.Format(new DateTime(y, mo, d, h, mi, s, 250));
        Assert.Equal(expected, formatted);
        Assert.Equal(AscTime.Length, formatted.Length);
    }

    [Fact]
    public void ParsesAnEntryWithASpacePaddedDay()
    {
        Assert.True(AscTime.TryParseEntry("Wed Nov  4 09:05:03 2026 disk  full", out var time, out var message));
        Assert.Equal(new DateTime(2026, 11, 4, 9, 5, 3), time);
        Assert.Equal("disk  full", message);
    }

    [Fact]
    public void ParsesAnEmptyMessage()
    {
        Assert.True(AscTime.TryParseEntry("Tue Nov 24 10:00:00 2026 ", out _, out var message));
        Assert.Equal("", message);
        Assert.True(AscTime.TryParseEntry("Tue Nov 24 10:00:00 2026", out _, out message));
        Assert.Equal("", message);
    }

    [Theory]
    [InlineData("plain text written by another tool")]
    [InlineData("Mon Nov 24 10:00:00 2026 wrong weekday")]
    [InlineData("Tue Nov 24 10:00:00 2026x")]
    [InlineData("")]
    public void LeavesOtherEntriesWhole(string raw)
    {
        Assert.False(AscTime.TryParseEntry(raw, out _, out var message));
        Assert.Equal(raw, message);
    }
}
