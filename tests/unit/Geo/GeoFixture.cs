using System;
using System.IO;
using System.Text;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Geo;

/// <summary>
/// A Redis of the class's own (the book's key names are fixed, so tests cannot share a server), a
/// temporary folder for CSV files, and a PowerShell host with component 'geo' on that Redis.
/// </summary>
public sealed class GeoFixture : IDisposable
{
    private PsHost? host;

    public GeoFixture()
    {
        Server = TestRedis.StartOwned();
        Directory = Path.Combine(Path.GetTempPath(), "redis-components-geo-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public RedisServer Server { get; }
    public string Directory { get; }

    /// <summary>The module in a runspace with component 'geo' configured.</summary>
    public PsHost Ps
    {
        get
        {
            if (host is not null) return host;
            host = new PsHost(Server.Endpoint, refreshSeconds: 0);
            host.Run("Set-RedisComponentConfig -Component geo -ConnectionString $e", new() { ["e"] = Server.Endpoint }).ThrowIfFailed();
            return host;
        }
    }

    /// <summary>Database 0, emptied.</summary>
    public IDatabase Fresh()
    {
        Server.AdminServer.FlushDatabase(0);
        return Server.Db();
    }

    /// <summary>Writes a CSV (text as given; '\n' line ends) and returns its full path.</summary>
    public string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text, encoding ?? Encoding.Latin1);
        return path;
    }

    public string Generated(string name, Action<string> generate)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path)) generate(path);
        return path;
    }

    public void Dispose()
    {
        host?.Dispose();
        Server.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
