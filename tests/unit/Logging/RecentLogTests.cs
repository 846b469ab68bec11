using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using RedisComponents.Logging;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Logging;

public class RecentLogTests(LoggingFixture fx) : IClassFixture<LoggingFixture>
{
    private static readonly Regex Entry = new(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d \d{4} ");

    [Fact]
    public void WritesAsctimeAndMessageToTheBooksKey()
    {
        var name = LoggingFixture.NewName();
        var before = DateTime.Now.AddSeconds(-1);
        fx.Ps.Run("Write-RedisRecentLog -Component app -Name $n -Message 'disk full'", new() { ["n"] = name }).ThrowIfFailed();
        fx.Ps.Run("Write-RedisRecentLog -Component app $n 'cpu hot' -Severity Warning", new() { ["n"] = name }).ThrowIfFailed();

        var info = Assert.Single(fx.List($"recent:{name}:info"));
        Assert.Matches(Entry, info);
        Assert.EndsWith(" disk full", info);
        Assert.True(AscTime.TryParseEntry(info, out var time, out _));
        Assert.InRange(time, before.AddTicks(-before.Ticks % TimeSpan.TicksPerSecond), DateTime.Now.AddSeconds(1));
        Assert.EndsWith(" cpu hot", Assert.Single(fx.List($"recent:{name}:warning")));
    }

    [Fact]
    public void KeepsTheNewestHundredWhenCalledOncePerMessage()
    {
        var name = LoggingFixture.NewName();
        fx.Ps.Run("foreach ($i in 1..105) { Write-RedisRecentLog -Component app -Name $n -Message \"m$i\" }", new() { ["n"] = name }).ThrowIfFailed();

        var entries = fx.List($"recent:{name}:info");
        Assert.Equal(100, entries.Count);
        Assert.EndsWith(" m105", entries[0]);
        Assert.EndsWith(" m6", entries[^1]);
    }

    [Fact]
    public void SendsAPipelineInBatchesAndStillKeepsAHundred()
    {
        var name = LoggingFixture.NewName();
        fx.Server.ResetStats();
        // One binding: the batches are full at once, so how many there are does not depend on the 200 ms timer.
        var result = fx.Ps.Run("Write-RedisRecentLog -Component app -Name $n -Message (1..2500 | ForEach-Object { \"m$_\" })", new() { ["n"] = name }).ThrowIfFailed();

        Assert.Equal(3, fx.Server.CommandCalls("exec"));
        Assert.Equal(3, fx.Server.CommandCalls("lpush"));
        Assert.Equal(fx.Server.CommandCalls("lpush"), fx.Server.CommandCalls("ltrim"));
        var entries = fx.List($"recent:{name}:info");
        Assert.Equal(100, entries.Count);
        Assert.EndsWith(" m2500", entries[0]);
        Assert.EndsWith(" m2401", entries[^1]);
        // Progress follows the full batches the pipeline sends (batches a timer sends on a loaded machine show none).
        if (fx.Server.CommandCalls("exec") == 3)
        {
            Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("2,000 messages sent to recent:" + name + ":info", StringComparison.Ordinal));
            Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        }
    }

    [Fact]
    public void PassThruOfABigPipelineComesOutInOrderOnceWritten()
    {
        var name = LoggingFixture.NewName();
        var written = fx.Ps.Run("1..2500 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n -PassThru", new() { ["n"] = name }).ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal(Enumerable.Range(1, 2500).Select(i => $"m{i}"), written.Select(e => e.Message));
        Assert.Equal(fx.List($"recent:{name}:info"), written.TakeLast(100).Reverse().Select(e => e.Raw));
    }

    [Fact]
    public void ReportsEachFailedBatchOfABigPipelineOnce()
    {
        var name = LoggingFixture.NewName();
        fx.Db.StringSet($"recent:{name}:info", "not a list");
        fx.Server.ResetStats();
        var result = fx.Ps.Run("1..2500 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n -PassThru; 'after'", new() { ["n"] = name });
        // At least three batches of at most 1000; a slow (loaded) pipeline also sends a batch whose oldest
        // message waited 200 ms, so the count is that of the transactions sent, one error each.
        Assert.True(result.Errors.Count >= 3, $"{result.Errors.Count} errors");
        Assert.Equal(fx.Server.CommandCalls("exec"), result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("RedisCommandFailed,", e.FullyQualifiedErrorId));
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal("not a list", (string?)fx.Db.StringGet($"recent:{name}:info"));
    }

    [Fact]
    public void BatchesObjectsForSeveralLogsInOneTransaction()
    {
        var name = LoggingFixture.NewName();
        fx.Server.ResetStats();
        fx.Ps.Run("""
            @([pscustomobject]@{ Name = "$n-a"; Message = 'one' },
              [pscustomobject]@{ Name = "$n-b"; Message = 'two'; Severity = 'Error' },
              [pscustomobject]@{ Name = "$n-a"; Message = 'three' }) | Write-RedisRecentLog -Component app
            """, new() { ["n"] = name }).ThrowIfFailed();

        Assert.Equal(1, fx.Server.CommandCalls("exec"));
        Assert.Equal(new[] { "three", "one" }, fx.List($"recent:{name}-a:info").Select(e => e[(AscTime.Length + 1)..]));
        Assert.Equal(new[] { "two" }, fx.List($"recent:{name}-b:error").Select(e => e[(AscTime.Length + 1)..]));
    }

    [Fact]
    public void GetReturnsParsedEntriesNewestFirst()
    {
        var name = LoggingFixture.NewName();
        fx.Ps.Run("'first', 'second', 'third' | Write-RedisRecentLog -Component app -Name $n -Severity Critical", new() { ["n"] = name }).ThrowIfFailed();
        var raw = fx.List($"recent:{name}:critical");

        var all = fx.Ps.Run("Get-RedisRecentLog -Component app -Name $n -Severity Critical", new() { ["n"] = name }).ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal(new[] { "third", "second", "first" }, all.Select(e => e.Message));
        Assert.Equal(raw, all.Select(e => e.Raw));
        Assert.All(all, e =>
        {
            Assert.Equal(name, e.Name);
            Assert.Equal(LogSeverity.Critical, e.Severity);
            Assert.Equal($"recent:{name}:critical", e.Key);
            Assert.Equal(e.Raw[..AscTime.Length], AscTime.Format(e.Time!.Value));
            Assert.Contains(e.Raw, e.ToString());
        });

        var two = fx.Ps.Run("Get-RedisRecentLog -Component app $n -Severity Critical -Count 2", new() { ["n"] = name }).ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal(new[] { "third", "second" }, two.Select(e => e.Message));
    }

    [Fact]
    public void GetKeepsEntriesWithoutAsctimeWhole()
    {
        var name = LoggingFixture.NewName();
        fx.Db.ListLeftPush($"recent:{name}:debug", "written by another tool");
        var entry = fx.Ps.Run("Get-RedisRecentLog -Component app -Name $n -Severity Debug", new() { ["n"] = name }).ThrowIfFailed().Single<RecentLogEntry>();
        Assert.Null(entry.Time);
        Assert.Equal("written by another tool", entry.Message);
        Assert.Empty(fx.Ps.Run("Get-RedisRecentLog -Component app -Name $n", new() { ["n"] = name }).ThrowIfFailed().Output);
    }

    [Fact]
    public void PassThruOutputsWhatWasStored()
    {
        var name = LoggingFixture.NewName();
        var written = fx.Ps.Run("'a', 'b' | Write-RedisRecentLog -Component app -Name $n -PassThru", new() { ["n"] = name }).ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal(new[] { "a", "b" }, written.Select(e => e.Message));
        Assert.Equal(fx.List($"recent:{name}:info").AsEnumerable().Reverse(), written.Select(e => e.Raw));
        Assert.Empty(fx.Ps.Run("Write-RedisRecentLog -Component app -Name $n -Message c", new() { ["n"] = name }).ThrowIfFailed().Output);
    }

    [Fact]
    public void CopiesEntriesPipedFromGetByPropertyName()
    {
        var name = LoggingFixture.NewName();
        fx.Ps.Run("'a', 'b' | Write-RedisRecentLog -Component app -Name $n -Severity Warning", new() { ["n"] = name }).ThrowIfFailed();
        fx.Server.ResetStats();
        var copied = fx.Ps.Run("Get-RedisRecentLog -Component app -Name $n -Severity Warning | Write-RedisRecentLog -Component app -PassThru", new() { ["n"] = name })
            .ThrowIfFailed().All<RecentLogEntry>();
        Assert.Equal(new[] { "b", "a" }, copied.Select(e => e.Message));
        Assert.All(copied, e => Assert.Equal(LogSeverity.Warning, e.Severity));
        Assert.Equal(new[] { "a", "b", "b", "a" }, fx.List($"recent:{name}:warning").Select(e => e[(AscTime.Length + 1)..]));
        Assert.Equal(1, fx.Server.CommandCalls("exec"));
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        var name = LoggingFixture.NewName();
        fx.Ps.Run("Write-RedisRecentLog -Component app -Name $n -Message x -WhatIf", new() { ["n"] = name }).ThrowIfFailed();
        Assert.False(fx.Db.KeyExists($"recent:{name}:info"));
    }

    [Fact]
    public void PipedMessagesHonourWhatIfConfirmAndVerbosePreferencesPerMessage()
    {
        // Piped writers skip ShouldProcess from the ninth item on when it cannot matter: 20 items cross that
        // point, in each case where it does matter.
        var name = LoggingFixture.NewName();
        var vars = new Dictionary<string, object?> { ["n"] = name };
        fx.Ps.Run("& { $WhatIfPreference = $true; 1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n }", vars).ThrowIfFailed();
        Assert.False(fx.Db.KeyExists($"recent:{name}:info"));

        fx.Ps.Run("& { $WhatIfPreference = $true; 1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n -WhatIf:$false }", vars).ThrowIfFailed();
        Assert.Equal(20, fx.Db.ListLength($"recent:{name}:info"));

        fx.Ps.Run("& { $ConfirmPreference = 'Low'; 1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n -Confirm:$false }", vars).ThrowIfFailed();
        Assert.Equal(40, fx.Db.ListLength($"recent:{name}:info"));

        var verbose = fx.Ps.Run("1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n -Verbose", vars).ThrowIfFailed();
        Assert.Equal(20, verbose.Verbose.Count(v => v.Contains($"recent:{name}:info", StringComparison.Ordinal) && v.Contains("Log message", StringComparison.Ordinal)));
        Assert.Equal(60, fx.Db.ListLength($"recent:{name}:info"));

        var quietly = fx.Ps.Run("& { $VerbosePreference = 'Continue'; 1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n }", vars).ThrowIfFailed();
        // Whatever PowerShell shows for the preference alone, it shows it for every item, not just the first eight.
        Assert.Contains(quietly.Verbose.Count(v => v.Contains("Log message", StringComparison.Ordinal)), new[] { 0, 20 });

        var quiet = fx.Ps.Run("1..20 | ForEach-Object { \"m$_\" } | Write-RedisRecentLog -Component app -Name $n", vars).ThrowIfFailed();
        Assert.DoesNotContain(quiet.Verbose, v => v.Contains("Log message", StringComparison.Ordinal));
        Assert.Equal(100, fx.Db.ListLength($"recent:{name}:info"));
    }

    [Theory]
    [InlineData("warning", "warning")]
    [InlineData("ERROR", "error")]
    [InlineData("10", "debug")]
    [InlineData("50", "critical")]
    public void AcceptsSeverityNamesInAnyCaseAndPythonLevels(string given, string keyPart)
    {
        var name = LoggingFixture.NewName();
        fx.Ps.Run("Write-RedisRecentLog -Component app -Name $n -Message x -Severity $s", new() { ["n"] = name, ["s"] = given }).ThrowIfFailed();
        Assert.Equal(1, fx.Db.ListLength($"recent:{name}:{keyPart}"));
    }

    [Theory]
    [InlineData("Fatal")]
    [InlineData("35")]
    [InlineData("")]
    public void RejectsOtherSeveritiesWithAParameterError(string given)
    {
        var name = LoggingFixture.NewName();
        foreach (var cmdlet in new[] { "Write-RedisRecentLog -Message x", "Get-RedisRecentLog", "Write-RedisCommonLog -Message x", "Get-RedisCommonLog" })
        {
            var result = fx.Ps.Run($"{cmdlet} -Component app -Name $n -Severity $s", new() { ["n"] = name, ["s"] = given });
            var error = Assert.IsAssignableFrom<ParameterBindingException>(result.SingleError().Exception);
            Assert.Contains("Severity", error.Message);
            Assert.StartsWith("CannotConvertArgument", result.SingleError().FullyQualifiedErrorId);
            Assert.Contains("Debug, Info, Warning, Error, Critical", Regex.Replace(error.Message, @"\s*,\s*", ", "));
        }
        Assert.Empty(fx.Server.AdminServer.Keys(pattern: $"*{name}*"));
    }

    [Fact]
    public void ReportsAKeyOfTheWrongTypeAsANonTerminatingError()
    {
        var name = LoggingFixture.NewName();
        fx.Db.StringSet($"recent:{name}:info", "not a list");
        var result = fx.Ps.Run("'a', 'b' | Write-RedisRecentLog -Component app -Name $n; 'after'", new() { ["n"] = name });
        var error = result.SingleError();
        Assert.Equal("RedisCommandFailed,RedisComponents.Logging.Commands.WriteRedisRecentLogCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"recent:{name}:info", error.ErrorDetails.Message);
        Assert.Contains("app", error.ErrorDetails.Message);
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void ReportsAMissingComponent()
    {
        var result = fx.Ps.Run("Write-RedisRecentLog -Component nosuch -Name web -Message x");
        Assert.Equal("ComponentConfigNotFound,RedisComponents.Logging.Commands.WriteRedisRecentLogCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void CoreWritesOneTransactionPerBatch()
    {
        var name = LoggingFixture.NewName();
        using var mux = ConnectionMultiplexer.Connect(fx.Server.Endpoint);
        var at = new DateTime(2026, 11, 4, 9, 5, 3);
        var messages = Enumerable.Range(1, 150).Select(i => new LogMessage(name, LogSeverity.Info, $"m{i}", at)).ToList();
        RecentLog.Write(mux.GetDatabase(), messages);

        var entries = fx.List($"recent:{name}:info");
        Assert.Equal(100, entries.Count);
        Assert.Equal("Wed Nov  4 09:05:03 2026 m150", entries[0]);
        Assert.Equal("Wed Nov  4 09:05:03 2026 m51", entries[^1]);
    }
}
