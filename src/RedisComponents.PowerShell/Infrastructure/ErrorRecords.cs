using System;
using System.Management.Automation;
using RedisComponents.Connections;
using StackExchange.Redis;

namespace RedisComponents.Infrastructure;

/// <summary>Builds the module's ErrorRecords: stable id, category, target, and a message that says what to do.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ComponentException ex) =>
        new(ex, ex.ErrorId, CategoryOf(ex.Failure), ex.Component)
        {
            ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = RecommendedAction(ex.Failure) },
        };

    /// <summary>A failure raised while a command ran against a component's server.</summary>
    public static ErrorRecord FromRedisFailure(Exception ex, ComponentConnection connection, string? key)
    {
        ex = RedisFaults.Unwrap(ex);
        if (connection.Classify(ex) is { } failure) return From(failure);
        var where = key is null ? "" : $" on key '{key}'";
        var said = ServerErrorLog.Explain(ex.Message, connection.Multiplexer);
        var message = $"Redis at {connection.Endpoint} (component '{connection.Component}') refused the command{where}: {RedisErrorText.Short(said)}. " +
                      "Check that the key holds the type this cmdlet expects (the book's layout) and was not written by another tool.";
        return new ErrorRecord(ex, "RedisCommandFailed", ErrorCategory.InvalidOperation, (object?)key ?? connection.Component)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }

    public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message, Exception? inner = null) =>
        new(inner ?? new InvalidOperationException(message), errorId, category, target)
        {
            ErrorDetails = new ErrorDetails(message),
        };

    public static bool IsRedisFailure(Exception ex) => RedisFaults.IsRedisFailure(ex);

    /// <summary>
    /// A failure of a command on the config server (Get/Set/Remove-RedisComponentConfig, maintenance): one
    /// clear sentence naming the server and the target; the client's diagnostics stay on the inner exception.
    /// </summary>
    public static ErrorRecord FromConfigServerFailure(Exception ex, ConfigServer server, string target)
    {
        ex = RedisFaults.Unwrap(ex);
        if (ex is ComponentException known) return From(known);
        if (RedisFaults.IsWrongType(ex))
        {
            return Create("ComponentConfigInvalid", ErrorCategory.InvalidData, target,
                $"Key '{target}' on config server {server.Display} holds another Redis type, not the JSON string a config is. Rewrite it with Set-RedisComponentConfig (or delete it with Remove-RedisComponentConfig).", ex);
        }
        var reason = RedisFaults.OutageReason(ex) ?? $"it refused the command: {RedisErrorText.Short(ex.Message)}";
        var message = $"Config server {server.Display} is not answering while working on '{target}' ({reason}). " +
                      "Start that Redis, or point this session at a running one with Connect-RedisConfigServer.";
        server.RecordFailure(message);
        return Create("ConfigServerUnreachable", ErrorCategory.ConnectionError, target, message, ex);
    }

    private static ErrorCategory CategoryOf(ComponentFailure failure) => failure switch
    {
        ComponentFailure.ConfigNotFound => ErrorCategory.ObjectNotFound,
        ComponentFailure.ConfigInvalid => ErrorCategory.InvalidData,
        ComponentFailure.AuthenticationFailed => ErrorCategory.AuthenticationError,
        ComponentFailure.TlsFailed => ErrorCategory.SecurityError,
        ComponentFailure.PermissionDenied => ErrorCategory.PermissionDenied,
        ComponentFailure.ReadOnly => ErrorCategory.InvalidOperation,
        ComponentFailure.ClusterCrossSlot => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.ConnectionError,
    };

    private static string RecommendedAction(ComponentFailure failure) => failure switch
    {
        ComponentFailure.ConfigNotFound => "Create the config with Set-RedisComponentConfig, or list existing ones with Get-RedisComponentConfig.",
        ComponentFailure.ConfigInvalid => "Rewrite the config with Set-RedisComponentConfig (host, port, db, password...).",
        ComponentFailure.ConfigServerUnreachable => "Start the config server, or choose another with Connect-RedisConfigServer.",
        ComponentFailure.AuthenticationFailed => "Fix the username/password in the component's config with Set-RedisComponentConfig.",
        ComponentFailure.TlsFailed => "Fix the TLS keys of the config (ssl_ca_certs/ssl_ca_data, ssl_certfile/ssl_keyfile, ssl_check_hostname) with Set-RedisComponentConfig.",
        ComponentFailure.PermissionDenied => "Grant the ACL user the command (README 'Connection management' lists each cmdlet's commands), or configure another user.",
        ComponentFailure.ReadOnly => "Point the config at the primary (or use service_name + sentinels) with Set-RedisComponentConfig.",
        ComponentFailure.ClusterCrossSlot => "Keys that one command or transaction uses must share a hash tag on a cluster; see README 'Redis Cluster'.",
        _ => "Check that the component's Redis is running and reachable, or fix its config with Set-RedisComponentConfig.",
    };
}
