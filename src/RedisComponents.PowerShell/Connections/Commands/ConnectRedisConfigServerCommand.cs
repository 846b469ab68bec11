using System;
using System.Management.Automation;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections.Commands;

/// <summary>Connect-RedisConfigServer: chooses the config server of this session (book 5.4).</summary>
[Cmdlet(VerbsCommunications.Connect, "RedisConfigServer")]
[OutputType(typeof(ConfigServerInfo))]
public sealed class ConnectRedisConfigServerCommand : RedisComponentsCmdlet
{
    /// <summary>StackExchange.Redis configuration string or redis:// / rediss:// URL.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string Configuration { get; set; } = "";

    /// <summary>The book's <c>wait</c>: how many seconds a config read stays trusted.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public double RefreshSeconds { get; set; } = ComponentSession.DefaultRefreshSeconds;

    /// <summary>Username and password of the config server (replace those of -Configuration).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        ConfigServer server;
        try
        {
            server = new ConfigServer(Configuration, Credential?.GetNetworkCredential());
        }
        catch (FormatException ex)
        {
            // The message of the parser never repeats the password; the configuration string itself may hold one, so it is not echoed.
            WriteError(ErrorRecords.Create("InvalidConfigServerConfiguration", ErrorCategory.InvalidArgument, null,
                $"The config server configuration is not usable: {ex.Message}. Give 'host:port[,password=...]' or 'redis://[user:password@]host:port/db'.", new FormatException(ex.Message)));
            return;
        }
        Session.UseConfigServer(server, RefreshSeconds);
        WriteVerbose($"Config server of this session: {server.Display}; configs re-read at most every {RefreshSeconds} s.");
        if (PassThru) WriteObject(ConfigServerInfo.Of(Session));
    }
}

/// <summary>The config server a session uses. Holds no secret.</summary>
public sealed class ConfigServerInfo
{
    public string Endpoint { get; init; } = "";
    public int Database { get; init; }
    public double RefreshSeconds { get; init; }
    public bool IsConnected { get; init; }

    internal static ConfigServerInfo Of(ComponentSession session)
    {
        var server = session.ConfigServer;
        bool connected;
        try
        {
            connected = server.Multiplexer.IsConnected;
        }
        catch (Exception)
        {
            connected = false;
        }
        return new ConfigServerInfo { Endpoint = server.Display, Database = server.Database, RefreshSeconds = session.RefreshSeconds, IsConnected = connected };
    }

    public override string ToString() => Endpoint;
}
