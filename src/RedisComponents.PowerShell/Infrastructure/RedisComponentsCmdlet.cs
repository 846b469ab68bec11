using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// What every cmdlet of the module shares: the session of the current runspace, component resolution
/// with error reporting, the connections it holds until the pipeline ends, and a token that Ctrl+C cancels.
/// </summary>
public abstract class RedisComponentsCmdlet : PSCmdlet, IDisposable
{
    private readonly Dictionary<string, ComponentConnection> held = new(StringComparer.Ordinal);
    // Connections replaced by a config change mid-pipeline: a pending batch may still be flushed on them.
    private readonly List<ComponentConnection> replaced = new();
    private readonly CancellationTokenSource stopping = new();

    private ComponentSession? session;

    // A cmdlet instance runs in one runspace: look its session up once, not per pipeline record.
    protected ComponentSession Session => session ??= SessionRegistry.Current;

    /// <summary>Cancelled by Ctrl+C (StopProcessing): long loops and waits must watch it.</summary>
    protected CancellationToken StopToken => stopping.Token;

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// The component's connection, or null after writing a non-terminating error. The cmdlet keeps it
    /// (and so its multiplexer) until the pipeline ends, even if the config changes in between.
    /// </summary>
    protected ComponentConnection? Connect(string component)
    {
        // Fast path for big pipelines: same component, same connection, still inside the refresh window.
        if (held.TryGetValue(component, out var current) && Session.IsCurrent(component, current)) return current;

        ComponentConnection resolved;
        try
        {
            resolved = Session.Resolve(component, WriteWarning);
        }
        catch (ComponentException ex)
        {
            WriteError(ErrorRecords.From(ex));
            return null;
        }

        if (held.TryGetValue(component, out var existing))
        {
            if (existing.SharesWith(resolved))
            {
                resolved.Dispose();
                return existing;
            }
            replaced.Add(existing);
        }
        held[component] = resolved;
        WriteVerbose($"Component '{component}' -> {resolved.Endpoint} (config server {Session.ConfigServer.Display}).");
        return resolved;
    }

    /// <summary>Runs Redis work for a component, turning Redis failures into non-terminating errors.</summary>
    protected bool Guard(ComponentConnection connection, Action action, string? key = null)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex))
        {
            WriteError(ErrorRecords.FromRedisFailure(ex, connection, key));
            return false;
        }
    }

    /// <summary>Runs Redis work against the config server, turning failures into non-terminating errors.</summary>
    protected bool GuardConfigServer(string target, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex))
        {
            var server = Session.ConfigServer.Display;
            WriteError(ErrorRecords.Create("ConfigServerUnreachable", ErrorCategory.ConnectionError, target,
                $"Config server {server} did not answer while working on '{target}' ({ex.Message}). " +
                "Start that Redis, or point this session at a running one with Connect-RedisConfigServer.", ex));
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var connection in held.Values) connection.Dispose();
        held.Clear();
        foreach (var connection in replaced) connection.Dispose();
        replaced.Clear();
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Base of every data cmdlet (book 5.4.3 <c>redis_connection</c> as a base class): takes
/// <c>-Component NAME</c>, resolves that component's Redis from the config server, and hands the
/// connection to <see cref="ProcessRecord(ComponentConnection)"/>.
/// </summary>
public abstract class ComponentCmdlet : RedisComponentsCmdlet
{
    /// <summary>The component whose Redis this command uses (config key <c>config:redis:NAME</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    public string Component { get; set; } = "";

    /// <summary>The connection of the last record, for cmdlets that flush batched work in EndProcessing.</summary>
    protected ComponentConnection? CurrentConnection { get; private set; }

    protected sealed override void ProcessRecord()
    {
        var connection = Connect(Component);
        if (connection is null) return;
        CurrentConnection = connection;
        Guard(connection, () => ProcessRecord(connection));
    }

    /// <summary>Does the cmdlet's work for one input record on the component's connection.</summary>
    protected abstract void ProcessRecord(ComponentConnection connection);
}
