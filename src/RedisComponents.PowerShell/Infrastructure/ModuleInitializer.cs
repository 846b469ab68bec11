using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace RedisComponents.Infrastructure;

/// <summary>
/// Removal hook: dispose the session of the runspace removing the module, which releases its connections.
/// Dependencies need no hook: this assembly lives in the module's own load context (RedisComponents.Loader's
/// EngineLoadContext), which resolves StackExchange.Redis and friends from its folder; no handler is ever
/// added to the default load context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        SessionRegistry.Release(Runspace.DefaultRunspace);
    }
}
