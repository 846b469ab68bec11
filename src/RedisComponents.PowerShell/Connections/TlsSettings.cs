using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace RedisComponents.Connections;

/// <summary>redis-py's <c>ssl_cert_reqs</c>. <c>optional</c> behaves as <c>required</c> on a client (a TLS server always sends a certificate).</summary>
public enum TlsCertReqs { Required, Optional, None }

/// <summary>
/// redis-py's TLS keyword arguments (<c>ssl_ca_certs</c>, <c>ssl_ca_path</c>, <c>ssl_ca_data</c>, <c>ssl_certfile</c>,
/// <c>ssl_keyfile</c>, <c>ssl_password</c>, <c>ssl_cert_reqs</c>, <c>ssl_check_hostname</c>), loaded and checked once
/// when the config is read. The server certificate is checked here, not by string options: the chain against the
/// system store and the configured CA, the name unless <c>ssl_check_hostname</c> is false.
/// </summary>
public sealed class TlsSettings
{
    internal static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "ssl_ca_certs", "ssl_ca_path", "ssl_ca_data", "ssl_certfile", "ssl_keyfile", "ssl_password", "ssl_cert_reqs", "ssl_check_hostname",
        "ssl_ciphers", "ssl_min_version",
    };

    private static readonly ConcurrentDictionary<string, TlsOutcome> Outcomes = new(StringComparer.Ordinal);

    private readonly X509Certificate2Collection trusted = new();
    private X509Certificate2? clientCertificate;

    public TlsCertReqs CertReqs { get; private init; } = TlsCertReqs.Required;
    /// <summary>Defaults to true (redis-py 4.x defaults to false; redis-py 6 to true): a name mismatch is refused unless asked.</summary>
    public bool CheckHostname { get; private init; } = true;
    public bool HasCustomCa => trusted.Count > 0;
    public bool HasClientCertificate => clientCertificate is not null;

    /// <summary>What distinguishes two TLS setups for pooling (file names, CA thumbprints, flags; no password).</summary>
    internal string Identity { get; private init; } = "";

    internal static TlsSettings From(IReadOnlyDictionary<string, JsonNode?> keys)
    {
        string? Str(string k) => keys.TryGetValue(k, out var v) ? RedisPyValues.ReadString(k, v, allowNull: true) : null;
        var reqs = Str("ssl_cert_reqs")?.ToLowerInvariant() switch
        {
            null or "required" or "cert_required" => TlsCertReqs.Required,
            "optional" or "cert_optional" => TlsCertReqs.Optional,
            "none" or "cert_none" => TlsCertReqs.None,
            _ => throw new FormatException("'ssl_cert_reqs' must be \"none\", \"optional\" or \"required\""),
        };
        var check = !keys.TryGetValue("ssl_check_hostname", out var ch) || ch is null || RedisPyValues.ReadBool("ssl_check_hostname", ch);
        var settings = new TlsSettings { CertReqs = reqs, CheckHostname = check };
        settings.LoadCa(Str("ssl_ca_certs"), Str("ssl_ca_path"), Str("ssl_ca_data"));
        var certFile = Str("ssl_certfile");
        var keyFile = Str("ssl_keyfile");
        var password = Str("ssl_password");
        if (certFile is null && keyFile is not null) throw new FormatException("'ssl_keyfile' needs 'ssl_certfile' (the client certificate it belongs to)");
        if (certFile is null && password is not null) throw new FormatException("'ssl_password' needs 'ssl_certfile' and an encrypted 'ssl_keyfile'");
        if (certFile is not null) settings.clientCertificate = LoadClientCertificate(certFile, keyFile, password);
        return settings.With(string.Join("|", reqs, check, string.Join(",", settings.trusted.Select(c => c.Thumbprint)),
            settings.clientCertificate?.Thumbprint ?? ""));
    }

    private TlsSettings With(string identity)
    {
        var copy = new TlsSettings { CertReqs = CertReqs, CheckHostname = CheckHostname, Identity = identity, clientCertificate = clientCertificate };
        copy.trusted.AddRange(trusted);
        return copy;
    }

    private void LoadCa(string? file, string? dir, string? data)
    {
        if (file is not null)
        {
            if (!File.Exists(file)) throw new FormatException($"'ssl_ca_certs' names '{file}', which does not exist (give the CA certificate's PEM file)");
            Import(() => trusted.ImportFromPemFile(file), $"'ssl_ca_certs' file '{file}'");
        }
        if (dir is not null)
        {
            if (!Directory.Exists(dir)) throw new FormatException($"'ssl_ca_path' names '{dir}', which is not a directory (give a directory of PEM CA certificates)");
            var before = trusted.Count;
            foreach (var path in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                try
                {
                    trusted.ImportFromPemFile(path);
                }
                catch (CryptographicException)
                {
                    // Not a certificate (a README, a CRL): OpenSSL's CApath skips those too.
                }
            }
            if (trusted.Count == before) throw new FormatException($"'ssl_ca_path' directory '{dir}' holds no PEM certificate");
        }
        if (data is not null) Import(() => trusted.ImportFromPem(data), "'ssl_ca_data'");
    }

    private void Import(Action import, string what)
    {
        var before = trusted.Count;
        try
        {
            import();
            // A text with no PEM block imports nothing without an error.
            if (trusted.Count == before) throw new CryptographicException();
        }
        catch (CryptographicException)
        {
            throw new FormatException($"{what} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string? keyFile, string? password)
    {
        if (!File.Exists(certFile)) throw new FormatException($"'ssl_certfile' names '{certFile}', which does not exist");
        if (keyFile is not null && !File.Exists(keyFile)) throw new FormatException($"'ssl_keyfile' names '{keyFile}', which does not exist");
        try
        {
            using var pem = password is null
                ? X509Certificate2.CreateFromPemFile(certFile, keyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(certFile, password, keyFile);
            // A PEM key is ephemeral; a PKCS#12 round trip gives a certificate every platform's TLS stack can present.
            return new X509Certificate2(pem.Export(X509ContentType.Pkcs12));
        }
        catch (CryptographicException)
        {
            // The exception text could quote key material or hint at the password: not repeated.
            throw new FormatException(password is null
                ? $"the client certificate '{certFile}' and key '{keyFile ?? certFile}' cannot be loaded (PEM certificate and unencrypted private key expected; an encrypted key needs 'ssl_password')"
                : $"the client certificate '{certFile}' and encrypted key '{keyFile ?? certFile}' cannot be loaded: the key does not match the certificate or 'ssl_password' is wrong");
        }
    }

    internal void ApplyTo(ConfigurationOptions options, string outcomeKey)
    {
        var outcome = Outcomes.GetOrAdd(outcomeKey, _ => new TlsOutcome());
        options.CertificateValidation += (_, certificate, _, errors) => Check(certificate, errors, outcome);
        if (clientCertificate is { } cert) options.CertificateSelection += (_, _, _, _, _) => cert;
    }

    /// <summary>Why the last TLS handshake of connections with this key was refused, or null.</summary>
    internal static TlsOutcome? OutcomeFor(string outcomeKey) => Outcomes.TryGetValue(outcomeKey, out var o) ? o : null;

    private bool Check(X509Certificate? certificate, SslPolicyErrors errors, TlsOutcome outcome)
    {
        var refusal = Refusal(certificate, errors);
        outcome.Record(refusal);
        return refusal is null;
    }

    private string? Refusal(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (CertReqs == TlsCertReqs.None) return null; // the operator asked for no check at all
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return "the server sent no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && !ChainsToConfiguredCa(certificate))
        {
            return HasCustomCa
                ? "untrusted certificate chain: the server's certificate is not issued by the CA of ssl_ca_certs/ssl_ca_path/ssl_ca_data"
                : "untrusted certificate chain: the server's certificate is not issued by a CA this system trusts (name the private CA with ssl_ca_certs, ssl_ca_path or ssl_ca_data)";
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && CheckHostname)
        {
            return "certificate name mismatch: the server's certificate does not name the host the config connects to (connect by a name it carries, or set ssl_check_hostname to false)";
        }
        return null;
    }

    private bool ChainsToConfiguredCa(X509Certificate certificate)
    {
        if (!HasCustomCa) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}

/// <summary>The last verdict of the TLS checks for one connection setup: read when classifying a failed connect.</summary>
internal sealed class TlsOutcome
{
    private volatile string? refusal;
    private volatile bool accepted;

    /// <summary>Why the server's certificate was refused, or null.</summary>
    public string? Refusal => refusal;

    /// <summary>True once a server certificate passed the checks (a later failure points at the client certificate).</summary>
    public bool ServerAccepted => accepted;

    public void Record(string? why)
    {
        refusal = why;
        accepted = why is null;
    }
}
