using System;
using System.Linq;
using System.Management.Automation;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Counters;

/// <summary>Bad input to the counter, statistics and access-time cmdlets gives a clear error with a stable id, never a crash.</summary>
public class BadInputTests
{
    [Theory]
    [InlineData("Update-RedisCounter -Component app -Name x -Count 0", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisCounter -Component app -Name x -Count -5", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisCounter -Component app -Name x -Count abc", "CannotConvertArgument")]
    [InlineData("Update-RedisCounter -Component app -Name ''", "ParameterArgumentValidationError")]
    [InlineData("'a', '', 'b' | Update-RedisCounter -Component app", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisCounter -Component app -Name x -Timestamp ([datetime]::new(1969, 12, 31, 0, 0, 0, [DateTimeKind]::Utc))", "CounterTimestampInvalid")]
    [InlineData("Get-RedisCounter -Component app -Name x -Precision 7", "ParameterArgumentValidationError")]
    [InlineData("Get-RedisCounter -Component app -Name x -Precision abc", "CannotConvertArgument")]
    [InlineData("Get-RedisCounter -Component app -Name '' -Precision 5", "ParameterArgumentValidationError")]
    [InlineData("Invoke-RedisCounterCleanup -Component app -SampleCount 0", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisStatistic -Component app -Context c -Type t -Value -1", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisStatistic -Component app -Context c -Type t -Value ([double]::NaN)", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisStatistic -Component app -Context c -Type t -Value ([double]::PositiveInfinity)", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisStatistic -Component app -Context c -Type t -Value abc", "CannotConvertArgument")]
    [InlineData("Update-RedisStatistic -Component app -Context '' -Type t -Value 1", "ParameterArgumentValidationError")]
    [InlineData("Update-RedisStatistic -Component app -Context c -Type '' -Value 1", "ParameterArgumentValidationError")]
    [InlineData("Get-RedisStatistic -Component app -Context '' -Type t", "ParameterArgumentValidationError")]
    [InlineData("Get-RedisAccessTime -Component app -Top 0", "ParameterArgumentValidationError")]
    [InlineData("Measure-RedisAccessTime -Component app -Context '' { 1 }", "ParameterArgumentValidationError")]
    public void BadInputGivesAClearError(string script, string errorId)
    {
        using var ps = CounterHosts.WithComponent(TestRedis.Shared);
        var result = ps.Run(script);
        var errors = result.Errors.Concat(result.Terminating is { ErrorRecord: { } r } ? new[] { r } : Array.Empty<ErrorRecord>()).ToList();
        Assert.True(errors.Any(e => e.FullyQualifiedErrorId.StartsWith(errorId, StringComparison.Ordinal)), string.Join(" | ", errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.DoesNotContain(errors, e => e.Exception is NullReferenceException or InvalidCastException);
    }
}
