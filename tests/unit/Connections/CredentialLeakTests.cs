using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>
/// The comma-password leak cases and the -Credential paths, against real servers: every stream,
/// $Error (records and exceptions, formatted) and verbose text are scanned for any fragment of the password.
/// (Hosted runspaces have no Start-Transcript; tests/pester/Connections.Tests.ps1 scans a real transcript.)
/// </summary>
public sealed class CredentialLeakTests : IDisposable
{
    private const string CredentialPassword = "Cr3d,Pw=Xy9;tail";
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly RedisServer data = TestRedis.StartOwned();

    public CredentialLeakTests()
    {
        configServer.AdminServer.Execute("ACL", "SETUSER", "ops", "on", ">" + CredentialPassword, "~*", "+@all");
        configServer.AdminServer.Execute("ACL", "SETUSER", "default", "on", "nopass", "~*", "+@all");
        data.AdminServer.Execute("ACL", "SETUSER", "app", "on", ">" + CredentialPassword, "~*", "+@all");
    }

    private static PSCredential Credential(string user, string password)
    {
        var secure = new SecureString();
        foreach (var c in password) secure.AppendChar(c);
        return new PSCredential(user, secure);
    }

    /// <summary>Runs the script with verbose and debug on; returns the run and everything a user could see.</summary>
    private (PsResult Run, string Everything) RunScanned(PsHost ps, string script, System.Collections.Generic.Dictionary<string, object?>? vars = null)
    {
        var run = ps.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'\n" + script, vars ?? new());
        var errors = ps.Run("$Error | ForEach-Object { \"$_\"; $_.FullyQualifiedErrorId; $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction; \"$($_.TargetObject)\"; \"$($_.CategoryInfo)\"; \"$($_.Exception)\"; $_.Exception.Message; $_.Exception.InnerException.Message; $_.ScriptStackTrace; $_.psobject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" } }").AllText();
        Assert.NotEmpty(errors);
        return (run, run.AllText() + errors + ps.Host.TakeScreen());
    }

    [Fact]
    public void ACommaPasswordInAConnectionStringLeaksNoFragmentFromSetOrConnect()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        var (run, all) = RunScanned(ps, """
            Set-RedisComponentConfig -Component leak -ConnectionString '127.0.0.1:7412,password=Zq7Kx,Wv9Pm=secret'
            Connect-RedisConfigServer '127.0.0.1:7400,password=abc,Dm2wTopSecret'
            Connect-RedisConfigServer 'redis://u:p%2Cq7Ls@127.0.0.1:notaport/0'
            Set-RedisComponentConfig -Component leak2 -ConnectionString '127.0.0.1:7412,127.0.0.1:7413,password=Rt5Ub,Yx3Hidden'
            Connect-RedisConfigServer '127.0.0.1:7400,127.0.0.1:7401,password=abc,Gh6Hidden:7000'
            """);
        // Each one failed with the module's id (and the text says how to pass such a password)...
        Assert.Equal(5, run.Errors.Count);
        Assert.StartsWith("ComponentConfigInvalid,", run.Errors[3].FullyQualifiedErrorId);
        Assert.Contains("-Credential", run.Errors[3].ErrorDetails.Message);
        Assert.StartsWith("InvalidConfigServerConfiguration,", run.Errors[4].FullyQualifiedErrorId);
        Assert.False(configServer.Db().KeyExists("config:redis:leak2"));
        Assert.StartsWith("ComponentConfigInvalid,", run.Errors[0].FullyQualifiedErrorId);
        Assert.Contains("-Credential", run.Errors[0].ErrorDetails.Message);
        Assert.All(run.Errors.Skip(1).Take(2), e => Assert.StartsWith("InvalidConfigServerConfiguration,", e.FullyQualifiedErrorId));
        Assert.False(configServer.Db().KeyExists("config:redis:leak"));
        // ...and no fragment of the passwords is anywhere.
        foreach (var fragment in new[] { "Zq7Kx", "Wv9Pm", "Dm2wTopSecret", "password=abc", "q7Ls", "p%2C", "Rt5Ub", "Yx3Hidden", "Gh6Hidden" })
        {
            Assert.DoesNotContain(fragment, all);
        }
    }

    [Fact]
    public void AMultiHostConnectionStringStoresItsPasswordAndNeverShowsIt()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        var (run, all) = RunScanned(ps, """
            Set-RedisComponentConfig -Component multi -ConnectionString '127.0.0.1:1,127.0.0.1:2,user=ops,password=Hn4Vb8Hidden,connectTimeout=300,syncTimeout=300' -PassThru
            Get-RedisComponentConfig multi
            Test-RedisComponent multi
            Invoke-TestComponentIncrement -Component multi -Key k
            Get-RedisComponentConnection
            Connect-RedisConfigServer '127.0.0.1:1,127.0.0.1:2,password=Hn4Vb8Hidden,connectTimeout=300' -PassThru
            Get-RedisComponentConfig multi
            """);
        var stored = System.Text.Json.JsonDocument.Parse((string?)configServer.Db().StringGet("config:redis:multi") ?? "{}").RootElement;
        Assert.Equal(2, stored.GetProperty("startup_nodes").GetArrayLength());
        Assert.Equal("Hn4Vb8Hidden", stored.GetProperty("password").GetString());
        Assert.NotEmpty(run.Errors); // the hosts do not answer
        Assert.All(run.Errors, e => Assert.DoesNotContain("Exception", e.FullyQualifiedErrorId));
        Assert.DoesNotContain("Hn4Vb8", all);
    }

    [Fact]
    public void CredentialGivesUserAndPasswordToSetAndConnectAndNeverShowsIt()
    {
        using var ps = new PsHost(withTestCmdlets: true);
        var vars = new System.Collections.Generic.Dictionary<string, object?>
        {
            ["cs"] = configServer.Endpoint,
            ["data"] = data.Endpoint + ",connectTimeout=1000,syncTimeout=1000",
            ["opsCred"] = Credential("ops", CredentialPassword),
            ["appCred"] = Credential("app", CredentialPassword),
            ["badCred"] = Credential("app", CredentialPassword + "-wrong"),
        };
        var (run, all) = RunScanned(ps, """
            Connect-RedisConfigServer $cs -Credential $opsCred -RefreshSeconds 0 -PassThru
            Set-RedisComponentConfig -Component app -ConnectionString $data -Credential $appCred -PassThru
            Set-RedisComponentConfig -Component cfg -Config @{ host = '127.0.0.1'; port = 1 } -Credential $appCred -PassThru
            Set-RedisComponentConfig -Component bad -ConnectionString $data -Credential $badCred
            Invoke-TestComponentIncrement -Component app -Key credkey
            Invoke-TestComponentIncrement -Component bad -Key credkey
            Get-RedisComponentConfig app, cfg, bad
            Get-RedisComponentConnection
            """, vars);

        // The config server connection authenticated as 'ops' (the default user is nopass: a wrong one would still "work").
        Assert.Contains(configServer.AdminServer.ClientList(), c => ClientUser(c) == "ops");
        var stored = (string?)configServer.Db().StringGet("config:redis:app") ?? "";
        Assert.Contains("\"username\": \"app\"", stored);
        Assert.Equal(CredentialPassword, System.Text.Json.JsonDocument.Parse(stored).RootElement.GetProperty("password").GetString());
        Assert.Contains("\"username\": \"app\"", (string?)configServer.Db().StringGet("config:redis:cfg") ?? "");
        Assert.Equal(1L, (long)data.Db().StringGet("credkey"));
        Assert.Single(run.Errors);
        Assert.StartsWith("ComponentAuthenticationFailed,", run.Errors[0].FullyQualifiedErrorId);
        Assert.Contains("user 'app'", run.Errors[0].ErrorDetails.Message);

        Assert.DoesNotContain(CredentialPassword, all);
        Assert.DoesNotContain("Cr3d", all);
        Assert.DoesNotContain("Xy9;tail", all);
    }

    private static string? ClientUser(StackExchange.Redis.ClientInfo c) =>
        c.Raw?.Split(' ').FirstOrDefault(p => p.StartsWith("user=", StringComparison.Ordinal))?[5..];

    public void Dispose()
    {
        configServer.Dispose();
        data.Dispose();
    }
}
