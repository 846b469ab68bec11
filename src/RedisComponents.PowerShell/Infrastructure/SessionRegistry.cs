using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Keeps one <see cref="ComponentSession"/> per runspace. The state lives beside the runspace, not in
/// a variable: function scopes see the same state and no script can overwrite it by accident. It is
/// disposed when the runspace closes or the module is removed from it.
/// </summary>
internal static class SessionRegistry
{
    private static readonly ConditionalWeakTable<Runspace, ComponentSession> Sessions = new();
    private static readonly object Gate = new();

    // A host with no runspace on the thread (a direct API call) still gets one, process-wide session.
    private static ComponentSession? detached;

    public static ComponentSession Current => For(Runspace.DefaultRunspace);

    public static ComponentSession For(Runspace? runspace)
    {
        lock (Gate)
        {
            if (runspace is null) return detached ??= new ComponentSession();
            if (Sessions.TryGetValue(runspace, out var session)) return session;
            session = new ComponentSession();
            Sessions.Add(runspace, session);
            runspace.StateChanged += OnStateChanged;
            return session;
        }
    }

    /// <summary>Disposes the session of this runspace (Remove-Module, runspace closed).</summary>
    public static void Release(Runspace? runspace)
    {
        ComponentSession? session;
        lock (Gate)
        {
            if (runspace is null)
            {
                session = detached;
                detached = null;
            }
            else
            {
                if (!Sessions.TryGetValue(runspace, out session)) return;
                Sessions.Remove(runspace);
                runspace.StateChanged -= OnStateChanged;
            }
        }
        session?.Dispose();
    }

    private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken && sender is Runspace runspace)
        {
            Release(runspace);
        }
    }
}
