using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Counters;

/// <summary>
/// The counters <c>known:</c> lists (members <c>p:NAME</c>), grouped by name and sorted, each with the
/// newest sample of its finest precision. Reads <c>known:</c> with ZSCAN and the hashes pipelined.
/// </summary>
internal static class CounterCatalog
{
    private const int PageSize = 1000;

    public static IEnumerable<CounterInfo> List(IDatabase db, string component, Func<string, bool>? match = null)
    {
        var byName = new SortedDictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        foreach (var entry in db.SortedSetScan(CounterStore.KnownKey, pageSize: PageSize))
        {
            var member = (string?)entry.Element;
            var colon = member?.IndexOf(':') ?? -1;
            if (colon <= 0 || !int.TryParse(member![..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var precision)) continue;
            var name = member[(colon + 1)..];
            if (match is not null && !match(name)) continue;
            if (!byName.TryGetValue(name, out var precisions)) byName[name] = precisions = new SortedSet<int>();
            precisions.Add(precision);
        }

        foreach (var chunk in byName.Chunk(PageSize))
        {
            var pending = chunk.Select(c => db.HashKeysAsync(CounterStore.KeyFor(c.Value.Min, c.Key))).ToArray();
            var newestSlots = new long?[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                var slots = db.Wait(pending[i]);
                newestSlots[i] = slots.Select(f => long.TryParse((string?)f, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : (long?)null).Max();
            }
            var counts = chunk.Select((c, i) => newestSlots[i] is { } slot ? db.HashGetAsync(CounterStore.KeyFor(c.Value.Min, c.Key), slot) : null).ToArray();
            for (var i = 0; i < chunk.Length; i++)
            {
                long? count = counts[i] is { } task && db.Wait(task) is { IsNull: false } value && long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
                yield return new CounterInfo
                {
                    Component = component,
                    Name = chunk[i].Key,
                    Precisions = chunk[i].Value.ToArray(),
                    NewestTime = newestSlots[i] is { } s ? DateTime.UnixEpoch.AddSeconds(s) : null,
                    NewestCount = count,
                };
            }
        }
    }
}
