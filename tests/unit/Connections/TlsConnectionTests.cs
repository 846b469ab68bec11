using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RedisComponents.Tests.Infrastructure;

namespace RedisComponents.Tests.Connections;

/// <summary>A private CA, server and client certificates made here; real redis-server TLS ports on loopback.</summary>
public sealed class TlsConnectionTests : IDisposable
{
    private const string KeyPassword = "key-Pw,9";
    private readonly string dir = Path.Combine(Path.GetTempPath(), "redis-components-tests", "tls-" + Guid.NewGuid().ToString("N"));
    private readonly RedisServer configServer = TestRedis.StartOwned();
    private readonly string caFile, caPem, serverCert, serverKey, otherCert, otherKey, clientCert, clientKey, clientKeyEncrypted;

    public TlsConnectionTests()
    {
        Directory.CreateDirectory(dir);
        using var caKey = RSA.Create(2048);
        var caReq = new CertificateRequest("CN=RedisComponents test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        caPem = ca.ExportCertificatePem();
        caFile = Write("ca.pem", caPem);
        (serverCert, serverKey) = Issue(ca, "server", "localhost", san => { san.AddDnsName("localhost"); san.AddIpAddress(IPAddress.Loopback); }, "1.3.6.1.5.5.7.3.1", null);
        (otherCert, otherKey) = Issue(ca, "other", "other.invalid", san => san.AddDnsName("other.invalid"), "1.3.6.1.5.5.7.3.1", null);
        (clientCert, clientKey) = Issue(ca, "client", "app", _ => { }, "1.3.6.1.5.5.7.3.2", null);
        (_, clientKeyEncrypted) = Issue(ca, "client-enc", "app", _ => { }, "1.3.6.1.5.5.7.3.2", KeyPassword, reuseCert: "client-enc");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (string Cert, string Key) Issue(X509Certificate2 ca, string name, string cn, Action<SubjectAlternativeNameBuilder> san, string eku, string? password, string? reuseCert = null)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=" + cn, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var sans = new SubjectAlternativeNameBuilder();
        san(sans);
        req.CertificateExtensions.Add(sans.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(eku) }, false));
        using var cert = req.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        var keyPem = password is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000));
        return (Write(name + ".crt", cert.ExportCertificatePem()), Write(name + ".key", keyPem));
    }

    private RedisProcess StartTls(string cert, string key, bool authClients) =>
        RedisProcess.Start((port, _) => new[]
        {
            "--port", "0", "--tls-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", caFile, "--tls-auth-clients", authClients ? "yes" : "no",
        });

    private PsResult Increment(Hashtable config)
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        config["socket_connect_timeout"] = 3; // a TLS handshake on a loaded 2-core machine can take more than a second
        config["socket_timeout"] = 3;
        config["ssl"] = true;
        ps.Run("Set-RedisComponentConfig -Component tls -Config $cfg", new() { ["cfg"] = config }).ThrowIfFailed();
        return ps.Run("Invoke-TestComponentIncrement -Component tls -Key tlsprobe");
    }

    private static void AssertTlsFailed(PsResult result, string reason)
    {
        var error = result.SingleError();
        Assert.StartsWith("ComponentTlsFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains(reason, error.ErrorDetails.Message);
    }

    [Fact]
    public void PrivateCaIsRequiredAndTrustedFromFileOrData()
    {
        using var server = StartTls(serverCert, serverKey, authClients: false);
        AssertTlsFailed(Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port }), "untrusted certificate chain");

        var byFile = Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_certs"] = caFile });
        Assert.True(byFile.Succeeded, byFile.Describe());
        Assert.Equal(1L, byFile.Output.Single().BaseObject);

        var byData = Increment(new Hashtable { ["host"] = "127.0.0.1", ["port"] = server.Port, ["ssl_ca_data"] = caPem });
        Assert.True(byData.Succeeded, byData.Describe());
        Assert.Equal(2L, byData.Output.Single().BaseObject);

        var byDir = Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_path"] = dir });
        Assert.True(byDir.Succeeded, byDir.Describe());
    }

    [Fact]
    public void ANameMismatchFailsUnlessHostnameCheckIsOffButAnUntrustedChainNeverPasses()
    {
        using var server = StartTls(otherCert, otherKey, authClients: false);
        AssertTlsFailed(Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_certs"] = caFile }), "name mismatch");
        var relaxed = Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_certs"] = caFile, ["ssl_check_hostname"] = false });
        Assert.True(relaxed.Succeeded, relaxed.Describe());
        // ssl_check_hostname false accepts the name only: without the CA the chain is still refused.
        AssertTlsFailed(Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_check_hostname"] = false }), "untrusted certificate chain");
    }

    [Fact]
    public void MutualTlsNeedsTheClientCertificatePlainOrEncrypted()
    {
        using var server = StartTls(serverCert, serverKey, authClients: true);
        AssertTlsFailed(Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_certs"] = caFile }), "client certificate");

        var plain = Increment(new Hashtable { ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_certs"] = caFile, ["ssl_certfile"] = clientCert, ["ssl_keyfile"] = clientKey });
        Assert.True(plain.Succeeded, plain.Describe());

        var encrypted = Increment(new Hashtable
        {
            ["host"] = "localhost", ["port"] = server.Port, ["ssl_ca_certs"] = caFile,
            ["ssl_certfile"] = Path.Combine(dir, "client-enc.crt"), ["ssl_keyfile"] = clientKeyEncrypted, ["ssl_password"] = KeyPassword,
        });
        Assert.True(encrypted.Succeeded, encrypted.Describe());
        Assert.DoesNotContain(KeyPassword, encrypted.AllText());
    }

    [Fact]
    public void SetValidatesTlsFilesAndSaysWhatIsWrong()
    {
        using var ps = new PsHost(configServer.Endpoint, refreshSeconds: 0, withTestCmdlets: true);
        var missing = ps.Run("Set-RedisComponentConfig -Component t -Config @{ host = 'h'; ssl = $true; ssl_ca_certs = '/nonexistent/ca.pem' }");
        Assert.StartsWith("ComponentConfigInvalid,", missing.SingleError().FullyQualifiedErrorId);
        Assert.Contains("'ssl_ca_certs' names '/nonexistent/ca.pem', which does not exist", missing.SingleError().ErrorDetails.Message);
        var notPem = ps.Run("Set-RedisComponentConfig -Component t -Config @{ host = 'h'; ssl = $true; ssl_ca_certs = $f }", new() { ["f"] = Write("junk.pem", "not a cert") });
        Assert.Contains("is not a PEM certificate", notPem.SingleError().ErrorDetails.Message);
        var noKey = ps.Run("Set-RedisComponentConfig -Component t -Config @{ host = 'h'; ssl = $true; ssl_keyfile = $k }", new() { ["k"] = clientKey });
        Assert.Contains("'ssl_keyfile' needs 'ssl_certfile'", noKey.SingleError().ErrorDetails.Message);
        var noSsl = ps.Run("Set-RedisComponentConfig -Component t -Config @{ host = 'h'; ssl_ca_certs = $f }", new() { ["f"] = caFile });
        Assert.Contains("need \"ssl\": true", noSsl.SingleError().ErrorDetails.Message);
        Assert.False(configServer.Db().KeyExists("config:redis:t"));
    }

    [Fact]
    public void RedisPyReadsTheSameTlsConfig()
    {
        using var server = StartTls(serverCert, serverKey, authClients: true);
        var config = $$"""{"host": "localhost", "port": {{server.Port}}, "ssl": true, "ssl_ca_certs": "{{caFile}}", "ssl_certfile": "{{clientCert}}", "ssl_keyfile": "{{clientKey}}", "ssl_check_hostname": true}""";
        var run = Python.Run(new[] { "-c", "import json, redis, sys\nr = redis.Redis(**json.loads(sys.argv[1]))\nprint(r.ping())", config });
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("True", run.Output);
    }

    public void Dispose()
    {
        configServer.Dispose();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
