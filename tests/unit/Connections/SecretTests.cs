using System;
using System.Linq;
using RedisComponents.Connections;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>No password ever reaches output, verbose, warnings, errors or ToString().</summary>
public sealed class SecretTests : IDisposable
{
    private const string ConfigPassword = "cfg-S3cret,with=comma";
    private const string DataPassword = "data-Pa55;word";
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    public SecretTests()
    {
        configServer.AdminServer.Execute("ACL", "SETUSER", "ops", "on", ">" + ConfigPassword, "~*", "+@all");
        data.AdminServer.Execute("ACL", "SETUSER", "app", "on", ">" + DataPassword, "~*", "+@all");
        // As on any real server, the default user is protected too: a failed AUTH must not fall back to it.
        data.AdminServer.Execute("ACL", "SETUSER", "default", "on", "resetpass", ">" + AdminPassword);
    }

    private const string AdminPassword = "admin-Pw";

    private string ConfigServerUrl => $"redis://ops:{Uri.EscapeDataString(ConfigPassword)}@{configServer.Endpoint}";

    [Fact]
    public void PasswordsNeverAppearInAnyStream()
    {
        using var ps = new PsHost(withTestCmdlets: true);
        var vars = new System.Collections.Generic.Dictionary<string, object?>
        {
            ["url"] = ConfigServerUrl,
            ["cfg"] = new System.Collections.Hashtable { ["host"] = data.Host, ["port"] = data.Port, ["username"] = "app", ["password"] = DataPassword },
            ["wrong"] = new System.Collections.Hashtable { ["host"] = data.Host, ["port"] = data.Port, ["username"] = "app", ["password"] = DataPassword + "-wrong", ["socket_connect_timeout"] = 1, ["socket_timeout"] = 1 },
        };
        var result = ps.Run("""
            $VerbosePreference = 'Continue'
            Connect-RedisConfigServer $url -RefreshSeconds 0 -PassThru
            Set-RedisComponentConfig -Component app -Config $cfg -PassThru
            Set-RedisComponentConfig -Component wrong -Config $wrong -PassThru
            Get-RedisComponentConfig
            Invoke-TestComponentIncrement -Component app
            Invoke-TestComponentIncrement -Component wrong
            Test-RedisComponent app, wrong
            Get-RedisComponentConnection
            Connect-RedisConfigServer 'redis://ops:not-a-port@h:x/1'
            """, vars);

        // The run did what it should (so the check below is about real output, not an early failure)...
        Assert.Contains(result.Output, o => o.BaseObject is long n && n == 1);
        Assert.Contains(result.Output, o => o.BaseObject is RedisComponents.Connections.Commands.ComponentTestResult { Component: "app", Reachable: true });
        Assert.Contains(result.Output, o => o.BaseObject is RedisComponents.Connections.Commands.ComponentTestResult { Component: "wrong", Reachable: false } r
            && r.Error!.Contains("rejected the username/password"));
        Assert.NotNull(configServer.Db().StringGet("config:redis:wrong").ToString()); // the wrong-password config was stored...
        Assert.True(result.Errors.Any(e => e.FullyQualifiedErrorId.StartsWith("ComponentAuthenticationFailed,", StringComparison.Ordinal)
                && e.CategoryInfo.Category == System.Management.Automation.ErrorCategory.AuthenticationError
                && e.ErrorDetails.Message.Contains("config:redis:wrong") && e.ErrorDetails.Message.Contains("user 'app'")), // ...and failed on AUTH
            string.Join("\n", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.NotEmpty(result.Verbose);
        // ...and no password is anywhere in it.
        var text = result.AllText();
        Assert.DoesNotContain(ConfigPassword, text);
        Assert.DoesNotContain(DataPassword, text);
        Assert.DoesNotContain(Uri.EscapeDataString(ConfigPassword), text);
        Assert.DoesNotContain("not-a-port", text);
        Assert.DoesNotContain(AdminPassword, text);
    }

    [Fact]
    public void PlainTextIsOnlyGivenWhenAskedFor()
    {
        using var ps = new PsHost(ConfigServerUrl, withTestCmdlets: true);
        ps.Run("Set-RedisComponentConfig -Component app -Config @{ host = 'h'; password = $p }", new() { ["p"] = DataPassword }).ThrowIfFailed();
        Assert.DoesNotContain(DataPassword, ps.Run("Get-RedisComponentConfig app").ThrowIfFailed().AllText());
        Assert.Contains(DataPassword, ps.Run("(Get-RedisComponentConfig app -AsPlainText).Config.password").ThrowIfFailed().AllText());
    }

    [Fact]
    public void AMaskedPasswordIsNotWrittenBack()
    {
        using var ps = new PsHost(ConfigServerUrl, withTestCmdlets: true);
        ps.Run("Set-RedisComponentConfig -Component app -Config @{ host = 'h'; password = $p }", new() { ["p"] = DataPassword }).ThrowIfFailed();
        var result = ps.Run("Get-RedisComponentConfig app | ForEach-Object { Set-RedisComponentConfig -Component $_.Component -Config $_.Config }");
        Assert.StartsWith("ComponentConfigInvalid,", result.SingleError().FullyQualifiedErrorId);
        Assert.Contains(DataPassword, (string?)configServer.Db().StringGet("config:redis:app"));
    }

    [Fact]
    public void CoreObjectsDoNotPrintSecrets()
    {
        var config = RedisPyConfig.Parse($"{{\"host\": \"h\", \"password\": \"{DataPassword}\"}}");
        Assert.DoesNotContain(DataPassword, config.ToString());
        Assert.DoesNotContain(DataPassword, config.Endpoint);
        using var server = new ConfigServer(ConfigServerUrl);
        Assert.DoesNotContain(ConfigPassword, server.ToString());
        Assert.DoesNotContain(ConfigPassword, server.Display);
    }

    public void Dispose()
    {
        configServer.Dispose();
        data.Dispose();
    }
}
