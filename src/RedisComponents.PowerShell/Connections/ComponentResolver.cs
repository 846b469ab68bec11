using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Configuration;
using RedisComponents.Infrastructure;

namespace RedisComponents.Connections;

/// <summary>
/// Resolves components to connections without network I/O under its lock: per component at most one
/// resolution (config GET, parse, connect) runs, on the thread pool; callers of that component wait only
/// for it, bounded and cancellable; the result is published under the lock. A known config is never held up
/// by a slow config server: callers wait at most <see cref="KnownConfigWaitSeconds"/> for a re-read, then
/// keep the last known config, and reads are retried with back-off while the config server is out.
/// </summary>
internal sealed class ComponentResolver : IDisposable
{
    /// <summary>How long a call with a known config waits for a re-read before it goes on with the known one.</summary>
    public const double KnownConfigWaitSeconds = 0.25;
    private const double FirstBackoffSeconds = 0.5;
    private const double MaxBackoffSeconds = 5;

    private readonly object gate = new();
    private readonly Dictionary<string, Slot> slots = new(StringComparer.Ordinal);
    private long generation;
    private bool disposed;
    private bool outageWarned;
    private string? outageReason;
    private int failures;
    private double retryAt = double.NegativeInfinity;

    public ComponentConnection Resolve(ConfigServer server, double refreshSeconds, string component, Action<string>? warn,
        CancellationToken cancel, double freshSince)
    {
        Task<Resolution> pending;
        Cached? known;
        double waitUntil;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var now = ModuleClock.MonotonicSeconds;
            if (!slots.TryGetValue(component, out var slot)) slots[component] = slot = new Slot(component);
            known = slot.Current;
            if (known is not null && (now - known.CheckedAt < refreshSeconds || known.CheckedAt >= freshSince)) return known.Share();
            var real = RealSeconds;
            if (known is not null && slot.Pending is null && (real < retryAt || server.IsKnownDown))
            {
                // The config server is down or backing off: go on with the last known config at once.
                var warning = OutageWarningLocked(server, known, "it is not reachable");
                var shared = known.Share();
                if (warning is not null) warn?.Invoke(warning);
                return shared;
            }
            if (slot.Pending is null)
            {
                var gen = generation;
                slot.PendingSince = real;
                slot.Pending = Task.Run(() => Refresh(slot, server, gen));
            }
            pending = slot.Pending;
            waitUntil = known is not null ? slot.PendingSince + KnownConfigWaitSeconds : real + UnknownWaitSeconds(server);
        }

        var finished = Wait(pending, waitUntil, cancel);
        if (finished && pending.IsCompletedSuccessfully)
        {
            var resolution = pending.Result;
            foreach (var w in resolution.TakeWarnings()) warn?.Invoke(w);
            lock (gate) return ShareLocked(resolution.Cached, component);
        }
        var failure = finished ? RedisFaults.Unwrap(pending.Exception!) as ComponentException : null;
        if (known is null)
        {
            throw failure ?? ConfigServerFailure(component, server,
                $"it did not answer within {UnknownWaitSeconds(server):0.#} s", null);
        }
        if (failure is not null && failure.Failure != ComponentFailure.ConfigServerUnreachable) throw failure;
        lock (gate)
        {
            var warning = OutageWarningLocked(server, known,
                failure is null ? $"no answer within {KnownConfigWaitSeconds * 1000:0} ms" : "it is not reachable");
            var shared = ShareLocked(known, component);
            if (warning is not null) warn?.Invoke(warning);
            return shared;
        }
    }

    /// <summary>True when <paramref name="held"/> came from the component's current config and that config is still fresh.</summary>
    public bool IsCurrent(string component, ComponentConnection held, double refreshSeconds, double freshSince)
    {
        lock (gate)
        {
            if (disposed || !slots.TryGetValue(component, out var slot) || slot.Current is not { } c) return false;
            var now = ModuleClock.MonotonicSeconds;
            return ReferenceEquals(held.Origin, c) && !c.Lease.IsRetired && (now - c.CheckedAt < refreshSeconds || c.CheckedAt >= freshSince);
        }
    }

    public IReadOnlyList<ComponentConnectionInfo> Snapshot(string configServer)
    {
        lock (gate)
        {
            return slots.Values.Where(s => s.Current is not null).Select(s => s.Current!)
                .OrderBy(c => c.Component, StringComparer.OrdinalIgnoreCase).Select(c => new ComponentConnectionInfo
                {
                    Component = c.Component,
                    Endpoint = c.Config.Endpoint,
                    Database = c.Config.Db,
                    IsConnected = c.Lease.Multiplexer.IsConnected,
                    ConfigReadAt = c.ConfigReadAt,
                    ConnectedAt = c.Lease.ConnectedAt,
                    ConfigServer = configServer,
                    IsCluster = c.Lease.IsCluster,
                    Deployment = c.Lease.IsCluster ? "Cluster" : c.Config.Sentinel is not null ? "Sentinel" : "Standalone",
                    NodeCount = ClusterServers.NodeCount(c.Lease),
                }).ToList();
        }
    }

    /// <summary>Forgets components (all when null); returns the names that had a connection.</summary>
    public IReadOnlyList<string> Forget(Func<string, bool>? match)
    {
        lock (gate)
        {
            var targets = slots.Keys.Where(k => match is null || match(k)).ToList();
            var forgotten = targets.Where(k => slots[k].Current is not null).ToList();
            foreach (var name in targets) DropLocked(name);
            return forgotten;
        }
    }

    /// <summary>Drops everything (another config server): resolutions still running publish nothing.</summary>
    public void Reset()
    {
        lock (gate)
        {
            generation++;
            foreach (var name in slots.Keys.ToList()) DropLocked(name);
            outageWarned = false;
            outageReason = null;
            failures = 0;
            retryAt = double.NegativeInfinity;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            Reset();
            disposed = true;
        }
    }

    private static bool Wait(Task task, double until, CancellationToken cancel)
    {
        var remaining = TimeSpan.FromSeconds(Math.Max(0, until - RealSeconds));
        try
        {
            return task.Wait(remaining, cancel);
        }
        catch (AggregateException)
        {
            return true; // faulted: the caller reads the task's exception
        }
    }

    /// <summary>Waits and back-off run on real time, whatever clock the refresh windows read (tests swap that one).</summary>
    private static double RealSeconds => Environment.TickCount64 / 1000.0;

    private static double UnknownWaitSeconds(ConfigServer server) =>
        (server.ConnectTimeoutMilliseconds + server.TimeoutMilliseconds) / 1000.0 + 2 * RedisPyConfig.DefaultTimeoutSeconds + 1;

    private Resolution Refresh(Slot slot, ConfigServer server, long gen)
    {
        try
        {
            return new ConfigRead(this, slot.Component, server).Run(slot, gen);
        }
        finally
        {
            lock (gate) slot.Pending = null;
        }
    }

    // ---- called by ConfigRead, under no lock unless said ----

    internal Cached? Unchanged(Slot slot, string json)
    {
        lock (gate)
        {
            if (slot.Current is not { Dropped: false } current || current.Json != json || current.Lease.IsRetired) return null;
            current.CheckedAt = ModuleClock.MonotonicSeconds;
            current.ConfigReadAt = DateTimeOffset.UtcNow;
            return current;
        }
    }

    /// <summary>Publishes a fresh resolution; false (and the lease is the caller's to dispose) when the session moved on.</summary>
    internal bool Publish(Slot slot, Cached fresh, long gen)
    {
        lock (gate)
        {
            if (disposed || gen != generation) return false;
            if (!slots.TryGetValue(slot.Component, out var registered) || !ReferenceEquals(registered, slot)) slots[slot.Component] = slot;
            if (slot.Current is { } old)
            {
                old.Dropped = true;
                old.Lease.Dispose();
            }
            slot.Current = fresh;
            return true;
        }
    }

    internal void Forget(Slot slot, long gen)
    {
        lock (gate)
        {
            if (gen == generation && slots.TryGetValue(slot.Component, out var registered) && ReferenceEquals(registered, slot)) DropLocked(slot.Component);
        }
    }

    internal void NoteConfigServerUp(ConfigServer server)
    {
        lock (gate)
        {
            failures = 0;
            retryAt = double.NegativeInfinity;
            outageWarned = false;
            outageReason = null;
        }
        server.RecordSuccess();
    }

    internal void NoteConfigServerDown(ConfigServer server, string reason)
    {
        lock (gate)
        {
            failures++;
            outageReason = reason;
            retryAt = RealSeconds + Math.Min(FirstBackoffSeconds * Math.Pow(2, failures - 1), MaxBackoffSeconds);
        }
        server.RecordFailure($"Config server {server.Display} is not answering: {reason}.");
    }

    internal static ComponentException ConfigServerFailure(string component, ConfigServer server, string reason, Exception? inner)
    {
        var key = ConfigStore.KeyFor(ConfigStore.RedisType, component);
        return new ComponentException(ComponentFailure.ConfigServerUnreachable, component, key, server.Display,
            $"Cannot read the config of component '{component}': config server {server.Display} is not answering ({reason}). " +
            "Start that Redis, or point this session at a running one with Connect-RedisConfigServer.", inner);
    }

    private string? OutageWarningLocked(ConfigServer server, Cached known, string reason)
    {
        if (outageWarned) return null;
        outageWarned = true;
        return $"Config server {server.Display} is not answering ({outageReason ?? reason}); component '{known.Component}' keeps its last known config ({known.Config}) and the module re-reads it in the background.";
    }

    private ComponentConnection ShareLocked(Cached cached, string component)
    {
        if (!cached.Dropped) return cached.Share();
        if (slots.TryGetValue(component, out var slot) && slot.Current is { Dropped: false } current) return current.Share();
        throw new ComponentException(ComponentFailure.ComponentUnreachable, component, ConfigStore.KeyFor(ConfigStore.RedisType, component), cached.Config.Endpoint,
            $"The connection of component '{component}' was dropped (Disconnect-RedisComponent or Connect-RedisConfigServer) while it was being resolved. Run the command again.");
    }

    private void DropLocked(string component)
    {
        if (!slots.Remove(component, out var slot) || slot.Current is not { } old) return;
        old.Dropped = true;
        old.Lease.Dispose();
        slot.Current = null;
    }

    internal sealed class Slot(string component)
    {
        public string Component { get; } = component;
        public Cached? Current { get; set; }
        public Task<Resolution>? Pending { get; set; }
        public double PendingSince { get; set; }
    }

    internal sealed class Cached(string component, string json, RedisPyConfig config, MultiplexerLease lease)
    {
        public string Component { get; } = component;
        public string Json { get; } = json;
        public RedisPyConfig Config { get; } = config;
        public MultiplexerLease Lease { get; } = lease;
        public double CheckedAt { get; set; } = ModuleClock.MonotonicSeconds;
        public DateTimeOffset ConfigReadAt { get; set; } = DateTimeOffset.UtcNow;
        public bool Dropped { get; set; }

        public ComponentConnection Share() => Lease.AuthenticationFailed
            ? throw ComponentSession.AuthenticationFailed(Component, Config, null)
            : new(Component, Config, Lease.AddRef(), this);
    }

    /// <summary>A finished resolution; its warnings go to the first caller that takes them.</summary>
    internal sealed class Resolution(Cached cached, IReadOnlyList<string> warnings)
    {
        private int taken;
        public Cached Cached { get; } = cached;
        public IReadOnlyList<string> TakeWarnings() => Interlocked.Exchange(ref taken, 1) == 0 ? warnings : Array.Empty<string>();
    }
}
