using System;
using System.Management.Automation;
using System.Reflection;
using StackExchange.Redis;

namespace OldRedisModule;

/// <summary>What the old module saw: the first item of a Redis list, read with its own StackExchange.Redis.</summary>
public sealed class OldRedisListHead
{
    public string Key { get; init; } = "";
    public string? Value { get; init; }
    public string StackExchangeRedisVersion { get; init; } = "";
}

/// <summary>
/// LINDEX key 0 through a multiplexer of this module's StackExchange.Redis (2.8.16, its own API:
/// ConfigurationOptions.Parse, ConnectionMultiplexer.Connect), reporting that library's version.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OldRedisListHead")]
[OutputType(typeof(OldRedisListHead))]
public sealed class GetOldRedisListHeadCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Endpoint { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public string Key { get; set; } = "";

    protected override void ProcessRecord()
    {
        var options = ConfigurationOptions.Parse(Endpoint);
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        using var redis = ConnectionMultiplexer.Connect(options);
        var value = redis.GetDatabase().ListGetByIndex(Key, 0);
        var version = typeof(ConnectionMultiplexer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        WriteObject(new OldRedisListHead { Key = Key, Value = value, StackExchangeRedisVersion = version.Split('+')[0] });
    }
}
