using System.Collections.Generic;
using System.Linq;
using RedisComponents.Counters;
using RedisComponents.Geo;
using RedisComponents.Logging;

namespace RedisComponents.Infrastructure;

/// <summary>
/// The keys each writer would really write, for -WhatIf and -Confirm, in the layout of the component's deployment
/// (the book's on a standalone server, the cluster layout of README on a cluster; the connection knows which).
/// </summary>
internal static class WriteTargets
{
    public static string RecentLog(string name, LogSeverity severity) => Logging.RecentLog.KeyFor(name, severity);

    /// <summary>The log's count and rotation keys and the recent list it also pushes to.</summary>
    public static string CommonLog(string name, LogSeverity severity, bool cluster)
    {
        var keys = RotationKeys.For(Logging.CommonLog.KeyFor(name, severity, cluster), cluster);
        return List(Rotation(keys).Append(Logging.RecentLog.KeyFor(name, severity)));
    }

    public static string Statistic(string context, string type, bool cluster) => List(Rotation(StatisticStore.KeysFor(context, type, cluster)));

    public static string AccessTime(string context, bool cluster) =>
        List(Rotation(StatisticStore.KeysFor(context, AccessTimes.Type, cluster)).Append(AccessTimes.SlowestKey));

    /// <summary>Every precision's hash, <c>known:</c>, and on a cluster the batch tokens in each hash's slot.</summary>
    public static string Counter(string name, bool cluster)
    {
        var hashes = $"count:P:{name} (P = {string.Join(", ", CounterStore.Precisions)})";
        return cluster
            ? $"{hashes}, {CounterStore.KnownKey} and the batch tokens {ClusterKeys.Companion("", $"count:P:{name}", ":batch:*")}"
            : $"{hashes} and {CounterStore.KnownKey}";
    }

    /// <summary>The index keys a geo import replaces (logical names) as written, plus the generation key its swap increments.</summary>
    public static string GeoImport(IEnumerable<string> destinations, bool cluster)
    {
        var list = destinations.ToList();
        var generations = list.Select(GeoKeys.GenerationOf).Distinct();
        return List(list.Concat(generations).Select(k => GeoKeys.Physical(k, cluster)));
    }

    private static IEnumerable<string> Rotation(RotationKeys keys) => new[] { keys.Destination, keys.Start, keys.Last, keys.PreviousStart };

    /// <summary>"a, b and c".</summary>
    public static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 1 ? string.Concat(all) : string.Join(", ", all.Take(all.Count - 1)) + " and " + all[^1];
    }
}
