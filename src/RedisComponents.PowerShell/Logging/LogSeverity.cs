namespace RedisComponents.Logging;

/// <summary>
/// The book's five severities. The values are Python's logging levels (logging.INFO == 20...), so
/// <c>-Severity 40</c> means Error as it would in Python; any other value is a parameter error.
/// </summary>
public enum LogSeverity
{
    Debug = 10,
    Info = 20,
    Warning = 30,
    Error = 40,
    Critical = 50,
}

internal static class LogSeverityNames
{
    /// <summary>The book's <c>SEVERITY</c> map: the lower-case name used in key names.</summary>
    public static string KeyPart(this LogSeverity severity) => severity switch
    {
        LogSeverity.Debug => "debug",
        LogSeverity.Info => "info",
        LogSeverity.Warning => "warning",
        LogSeverity.Error => "error",
        LogSeverity.Critical => "critical",
        _ => throw new System.ArgumentOutOfRangeException(nameof(severity), severity, "Not one of the book's five severities."),
    };
}
