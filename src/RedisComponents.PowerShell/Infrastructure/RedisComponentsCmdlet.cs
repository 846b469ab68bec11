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
    private double? invocationStart;

    // A cmdlet instance runs in one runspace: look its session up once, not per pipeline record.
    protected ComponentSession Session => session ??= SessionRegistry.Current;

    /// <summary>Cancelled by Ctrl+C (StopProcessing): long loops and waits must watch it.</summary>
    protected CancellationToken StopToken => stopping.Token;

    protected override void StopProcessing() => stopping.Cancel();

    private bool? shouldProcessMatters;
    private int shouldProcessAsked;

    /// <summary>
    /// True when a piped writer may skip ShouldProcess for an item: from the ninth item of an invocation on,
    /// when ShouldProcess can only answer true without showing anything (no -WhatIf, -Confirm, -Verbose or
    /// -Debug, and preferences that neither simulate, ask at this command's impact, nor report). The call itself
    /// is ≈ 0.4 µs per item, a third of what PowerShell's binding of the item costs; working out that it cannot
    /// matter costs more than one call, so short invocations (one message) just call it.
    /// </summary>
    protected bool SkipShouldProcess => ++shouldProcessAsked > 8 && !(shouldProcessMatters ??= ComputeShouldProcessMatters());

    private bool ComputeShouldProcessMatters()
    {
        var bound = MyInvocation.BoundParameters;
        bool Given(string name, out bool on)
        {
            on = bound.TryGetValue(name, out var value) && LanguagePrimitives.IsTrue(value);
            return bound.ContainsKey(name);
        }
        bool Preference<T>(string variable, Func<T, bool> matters) where T : struct =>
            !LanguagePrimitives.TryConvertTo<T>(SessionState.PSVariable.GetValue(variable), out var value) || matters(value);

        var impact = (GetType().GetCustomAttributes(typeof(CmdletAttribute), true) is [CmdletAttribute attribute, ..]) ? attribute.ConfirmImpact : ConfirmImpact.Medium;
        var whatIf = Given("WhatIf", out var w) ? w : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        var confirm = Given("Confirm", out var c) ? c : Preference<ConfirmImpact>("ConfirmPreference", p => p != ConfirmImpact.None && p <= impact);
        var verbose = Given("Verbose", out var v) ? v : Preference<ActionPreference>("VerbosePreference", p => p is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore));
        return whatIf || confirm || verbose || bound.ContainsKey("Debug");
    }

    /// <summary>
    /// The component's connection, or null after writing a non-terminating error. The cmdlet keeps it
    /// (and so its multiplexer) until the pipeline ends, even if the config changes in between.
    /// </summary>
    protected ComponentConnection? Connect(string component)
    {
        // With -RefreshSeconds 0 a config is read once per command invocation, not once per pipeline record.
        var freshSince = double.PositiveInfinity;
        if (Session.RefreshSeconds == 0) freshSince = invocationStart ??= ModuleClock.MonotonicSeconds;

        // Fast path for big pipelines: same component, same config, still fresh.
        if (held.TryGetValue(component, out var current) && Session.IsCurrent(component, current, freshSince)) return current;

        ComponentConnection resolved;
        try
        {
            resolved = Session.Resolve(component, WriteWarning, StopToken, freshSince);
        }
        catch (ComponentException ex)
        {
            WriteError(ErrorRecords.From(ex));
            return null;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }

        if (held.TryGetValue(component, out var existing))
        {
            // Same resolved config (db included): keep the held connection; anything else switches from this record on.
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
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex) && !IsStop(ex))
        {
            WriteError(ErrorRecords.FromRedisFailure(ex, connection, key));
            return false;
        }
    }

    /// <summary>
    /// Runs Redis work against the config server, turning failures into non-terminating errors. A config
    /// server known to be down fails at once (no wait); messages are one sentence, never the client's dump.
    /// </summary>
    protected bool GuardConfigServer(string target, Action action)
    {
        var server = Session.ConfigServer;
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (ErrorRecords.IsRedisFailure(ex) && !IsStop(ex))
        {
            WriteError(ErrorRecords.FromConfigServerFailure(ex, server, target));
            return false;
        }
    }

    /// <summary>A cancellation that is this cmdlet being stopped (Ctrl+C), not a failure to report.</summary>
    private bool IsStop(Exception ex) => ex is OperationCanceledException && StopToken.IsCancellationRequested;

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
