using System;

namespace RedisComponents.Connections;

/// <summary>The failures a component lookup can end in. Each maps to one stable PowerShell error id.</summary>
public enum ComponentFailure
{
    /// <summary>No <c>config:redis:NAME</c> key on the config server.</summary>
    ConfigNotFound,
    /// <summary>The config is not a JSON object of redis-py connection arguments.</summary>
    ConfigInvalid,
    /// <summary>The config server does not answer and no config is known.</summary>
    ConfigServerUnreachable,
    /// <summary>The component's own Redis does not answer within its timeout.</summary>
    ComponentUnreachable,
    /// <summary>The component's Redis rejects the username/password of its config.</summary>
    AuthenticationFailed,
    /// <summary>The TLS handshake failed: untrusted chain, name mismatch, or client certificate refused/missing.</summary>
    TlsFailed,
    /// <summary>The server answered NOPERM: the configured ACL user lacks a command (or key) the cmdlet needs.</summary>
    PermissionDenied,
    /// <summary>The server answered READONLY: the config names a replica.</summary>
    ReadOnly,
    /// <summary>A Redis Cluster refused a command over keys of different slots (CROSSSLOT).</summary>
    ClusterCrossSlot,
}

/// <summary>
/// A component-level failure, with everything an operator needs to act: which component, which key,
/// which server (never its password). The cmdlet layer turns it into an ErrorRecord.
/// </summary>
public sealed class ComponentException : Exception
{
    public ComponentException(ComponentFailure failure, string component, string? key, string? server, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Component = component;
        Key = key;
        Server = server;
    }

    public ComponentFailure Failure { get; }
    public string Component { get; }
    public string? Key { get; }
    public string? Server { get; }

    /// <summary>The stable error id used as the ErrorRecord's FullyQualifiedErrorId prefix.</summary>
    public string ErrorId => Failure switch
    {
        ComponentFailure.ConfigNotFound => "ComponentConfigNotFound",
        ComponentFailure.ConfigInvalid => "ComponentConfigInvalid",
        ComponentFailure.ConfigServerUnreachable => "ConfigServerUnreachable",
        ComponentFailure.AuthenticationFailed => "ComponentAuthenticationFailed",
        ComponentFailure.TlsFailed => "ComponentTlsFailed",
        ComponentFailure.PermissionDenied => "ComponentPermissionDenied",
        ComponentFailure.ReadOnly => "ComponentReadOnly",
        ComponentFailure.ClusterCrossSlot => "ComponentClusterCrossSlot",
        _ => "ComponentUnreachable",
    };
}
