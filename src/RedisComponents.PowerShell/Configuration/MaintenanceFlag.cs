using StackExchange.Redis;

namespace RedisComponents.Configuration;

/// <summary>Book 5.4.1: the <c>is-under-maintenance</c> key on the config server.</summary>
public static class MaintenanceFlag
{
    public const string Key = "is-under-maintenance";
    public const string EnabledValue = "yes";

    /// <summary>How long a session trusts its last read of the flag, like the book's one-second cache.</summary>
    public const double CacheSeconds = 1;

    /// <summary>Like the book's <c>bool(conn.get('is-under-maintenance'))</c>: any non-empty value means "on".</summary>
    public static bool Read(IDatabase db) => !db.StringGet(Key).IsNullOrEmpty;

    public static void Enable(IDatabase db) => db.StringSet(Key, EnabledValue);

    public static void Disable(IDatabase db) => db.KeyDelete(Key);
}
