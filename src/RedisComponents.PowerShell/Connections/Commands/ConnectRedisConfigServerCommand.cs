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
                $"The config server configuration is not usable: {ex.Message.TrimEnd('.')}. Give 'host:port[,password=...]' or 'redis://[user:password@]host:port/db'.", new FormatException(ex.Message)));
            return;
        }
        var kept = Session.UseConfigServer(server, RefreshSeconds);
        var refresh = RefreshSeconds == 0 ? "configs re-read once per command" : $"configs re-read at most every {RefreshSeconds} s";
        WriteVerbose(kept
            ? $"Config server {server.Display} is already this session's; its cached connections are kept; {refresh}."
            : $"Config server of this session: {server.Display}; {refresh}.");
        if (PassThru) WriteObject(ConfigServerInfo.Of(Session));
    }
}
