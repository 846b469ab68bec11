using System.Runtime.CompilerServices;
using System.Threading;

namespace RedisComponents.Tests.Infrastructure;

/// <summary>
/// The suite runs 4 test classes at once on 2 cores, most of them blocking on hosted runspaces and servers; with
/// the default minimum (one worker per core) the pool injects threads slowly, and a client's connect that needs
/// a worker can miss a 1 s connect timeout (seen as ComponentUnreachable on a healthy server). More threads up
/// front, for the test host only.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void Init()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(System.Math.Max(workers, 64), System.Math.Max(io, 64));
    }
}
