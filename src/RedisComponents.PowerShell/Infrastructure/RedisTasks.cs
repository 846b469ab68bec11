using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace RedisComponents.Infrastructure;

/// <summary>Waits for the replies of queued commands, surfacing a command's own error (WRONGTYPE...) as itself.</summary>
internal static class RedisTasks
{
    public static void AwaitAll(IDatabase db, IEnumerable<Task> pending)
    {
        foreach (var task in pending) db.Wait(task);
    }
}
