using System;

namespace RedisComponents.Connections;

/// <summary>
/// StackExchange.Redis messages end in a long diagnostic dump (queues, thread pool, version). Error
/// messages of the module keep only the part that tells an operator what happened; the full text stays
/// on the ErrorRecord's exception.
/// </summary>
public static class RedisErrorText
{
    private const int MaxLength = 240;
    private static readonly string[] DiagnosticMarkers =
    {
        " - Last Connection Exception", ", command=", ", inst:", " (Please take a look", ", mc:", "; IOCP:",
    };

    public static string Short(string message)
    {
        var end = message.Length;
        foreach (var marker in DiagnosticMarkers)
        {
            var i = message.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0 && i < end) end = i;
        }
        var text = message[..end].Trim();
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }

    /// <summary>True for the server's answers to bad credentials (and the client's name for them).</summary>
    public static bool IsAuthenticationFailure(string message) =>
        message.Contains("WRONGPASS", StringComparison.Ordinal) ||
        message.Contains("NOAUTH", StringComparison.Ordinal) ||
        message.Contains("AuthenticationFailure", StringComparison.Ordinal);
}
