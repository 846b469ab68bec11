using System;
using System.Collections.Generic;
using System.Linq;
using RedisComponents.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Tests.Logging;

/// <summary>A Redis of the test class's own (so INFO commandstats counts only its commands) and a runspace whose component 'app' uses it.</summary>
public sealed class LoggingFixture : IDisposable
{
    public LoggingFixture()
    {
        Server = TestRedis.StartOwned();
        Ps = NewHost();
    }

    public RedisServer Server { get; }
    public PsHost Ps { get; }
    public IDatabase Db => Server.Db();

    public PsHost NewHost()
    {
        var ps = new PsHost(Server.Endpoint);
        ps.Run("Set-RedisComponentConfig -Component app -ConnectionString $e", new() { ["e"] = Server.Endpoint }).ThrowIfFailed();
        return ps;
    }

    public static string NewName(string prefix = "log") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public List<string> List(string key) => Db.ListRange(key).Select(v => (string)v!).ToList();

    public void Dispose()
    {
        Ps.Dispose();
        Server.Dispose();
    }
}
