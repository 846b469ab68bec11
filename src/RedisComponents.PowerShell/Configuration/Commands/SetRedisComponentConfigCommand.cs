using System;
using System.Management.Automation;
using System.Text.Json.Nodes;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration.Commands;

/// <summary>Set-RedisComponentConfig: the book's <c>set_config</c> (writes <c>config:&lt;type&gt;:&lt;component&gt;</c>).</summary>
[Cmdlet(VerbsCommon.Set, "RedisComponentConfig", SupportsShouldProcess = true, DefaultParameterSetName = ConfigSet)]
[OutputType(typeof(ComponentConfigInfo))]
public sealed class SetRedisComponentConfigCommand : RedisComponentsCmdlet
{
    private const string ConfigSet = "Config";
    private const string ConnectionStringSet = "ConnectionString";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string Component { get; set; } = "";

    /// <summary>redis-py keyword arguments: a hashtable, an object, or JSON text.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ConfigSet)]
    [ValidateNotNull]
    public object Config { get; set; } = null!;

    /// <summary>A StackExchange.Redis config string or redis:// URL, stored as the book's JSON dict.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNullOrEmpty]
    public string ConnectionString { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[^:*?\\[\\]]+$")]
    [ArgumentCompleter(typeof(ConfigTypeCompleter))]
    public string Type { get; set; } = ConfigStore.RedisType;

    /// <summary>Username and password of the component's Redis (replace those of -Config/-ConnectionString), so no password is typed into history.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var key = ConfigStore.KeyFor(Type, Component);
        JsonNode? node;
        try
        {
            var credential = Credential?.GetNetworkCredential();
            if (ParameterSetName == ConfigSet) RedisPyValues.EnsureAcyclic(Config is PSObject pso ? pso.BaseObject : Config);
            node = ParameterSetName == ConnectionStringSet
                ? PythonJson.ToNode(ConnectionStrings.ToRedisPyArguments(ConnectionString, credential))
                : ConfigValues.ToJson(Config);
            if (ParameterSetName == ConfigSet && credential is not null && node is JsonObject target) ConfigValues.ApplyCredential(target, credential);
            if (Type == ConfigStore.RedisType)
            {
                var parsed = ConfigValues.ValidateRedis(node);
                if (parsed.UnknownKeys.Count > 0)
                {
                    WriteWarning($"Config of component '{Component}' has keys this module does not use: {string.Join(", ", parsed.UnknownKeys)}. They are stored as given.");
                }
            }
        }
        catch (FormatException ex)
        {
            WriteError(ErrorRecords.Create("ComponentConfigInvalid", ErrorCategory.InvalidData, Component,
                $"Config for component '{Component}' (key '{key}') was not written: {ex.Message.TrimEnd('.')}.", ex));
            return;
        }

        var server = Session.ConfigServer;
        if (!ShouldProcess($"{key} on config server {server.Display}", "Set component config")) return;
        var json = PythonJson.Serialize(node);
        if (!GuardConfigServer(key, () => ConfigStore.Write(server.GetDatabase(), Type, Component, json))) return;
        WriteVerbose($"Wrote {key} on config server {server.Display}; sessions pick it up within their refresh interval.");
        if (PassThru) WriteObject(ComponentConfigInfo.FromJson(Type, Component, json, server.Display, plainText: false));
    }
}
