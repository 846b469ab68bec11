using System;
using System.IO;
using System.Linq;
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
            host.Run("Set-RedisComponentConfig -Component geo -ConnectionString $e", new() { ["e"] = Server.Endpoint + ",defaultDatabase=" + DataDb }).ThrowIfFailed();
            return host;
        }
    }

    /// <summary>The database of component 'geo' (database 0 holds the config keys).</summary>
    public const int DataDb = 1;

    public IDatabase Db => Server.Db(DataDb);

    /// <summary>The component's database, emptied.</summary>
    public IDatabase Fresh()
    {
        Server.AdminServer.FlushDatabase(DataDb);
        return Db;
    }

    /// <summary>Keys of unfinished imports.</summary>
    public RedisKey[] StagingKeys() => Server.AdminServer.Keys(DataDb, "*:importing:*").ToArray();

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
