using System;

namespace RedisComponents.Connections.Commands;

/// <summary>The config server a session uses (Connect-RedisConfigServer -PassThru). Holds no secret.</summary>
public sealed class ConfigServerInfo
{
    public string Endpoint { get; init; } = "";
    public int Database { get; init; }
    public double RefreshSeconds { get; init; }
    public bool IsConnected { get; init; }

    /// <summary>A snapshot without side effects: never connects, never reads.</summary>
    internal static ConfigServerInfo Of(ComponentSession session)
    {
        var server = session.ConfigServer;
        return new ConfigServerInfo { Endpoint = server.Display, Database = server.Database, RefreshSeconds = session.RefreshSeconds, IsConnected = server.IsConnected };
    }

    public override string ToString() => Endpoint;
}

/// <summary>What Get-RedisConfigServer shows: the session's config server, its state and last read. Holds no secret.</summary>
public sealed class ConfigServerStatus
{
    public string Endpoint { get; init; } = "";
    public int Database { get; init; }
    public double RefreshSeconds { get; init; }
    public bool IsConnected { get; init; }

    /// <summary>When a read from the config server last succeeded (UTC); null before the first.</summary>
    public DateTimeOffset? LastReadAt { get; init; }

    /// <summary>The last failure talking to the config server (one sentence), cleared by the next successful read.</summary>
    public string? LastError { get; init; }

    /// <summary>A snapshot without side effects: never connects, never reads.</summary>
    internal static ConfigServerStatus Of(ComponentSession session)
    {
        var server = session.ConfigServer;
        return new ConfigServerStatus
        {
            Endpoint = server.Display,
            Database = server.Database,
            RefreshSeconds = session.RefreshSeconds,
            IsConnected = server.IsConnected,
            LastReadAt = server.LastReadAt,
            LastError = server.LastError,
        };
    }

    public override string ToString() => Endpoint;
}
