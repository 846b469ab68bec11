using System.Collections.Specialized;
using RedisComponents.Infrastructure;

namespace RedisComponents.Tests.Infrastructure;

public class PythonJsonTests
{
    [Fact]
    public void WritesPythonsSeparators()
    {
        var dict = new OrderedDictionary { ["host"] = "localhost", ["port"] = 6379, ["ssl"] = false, ["password"] = null };
        Assert.Equal("{\"host\": \"localhost\", \"port\": 6379, \"ssl\": false, \"password\": null}", PythonJson.SerializeValue(dict));
    }

    [Fact]
    public void EscapesNonAsciiLikeEnsureAscii()
    {
        // python3 -c 'import json; print(json.dumps(["São Paulo", "27", "BR", "a\"b\\c\n", "\x7f"]))'
        Assert.Equal("[\"S\\u00e3o Paulo\", \"27\", \"BR\", \"a\\\"b\\\\c\\n\", \"\\u007f\"]",
            PythonJson.SerializeValue(new[] { "São Paulo", "27", "BR", "a\"b\\c\n", "\x7f" }));
    }

    [Fact]
    public void EscapesAstralCharactersAsSurrogatePairs()
    {
        Assert.Equal("[\"\\ud83d\\ude00\"]", PythonJson.SerializeValue(new[] { "😀" }));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void FormatsFloatsLikePythonRepr(double value, string expected)
    {
        Assert.Equal(expected, PythonJson.FormatFloat(value));
    }
}
