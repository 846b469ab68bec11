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
        var text = message[..end].Trim().TrimEnd('.'); // callers end the sentence
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }

    /// <summary>
    /// True for the server's answers to bad credentials only (WRONGPASS/NOAUTH). The client's
    /// "AuthenticationFailure" also covers a failed TLS handshake, so it is not taken as one.
    /// </summary>
    public static bool IsAuthenticationFailure(string message) =>
        message.Contains("WRONGPASS", StringComparison.Ordinal) ||
        message.Contains("NOAUTH", StringComparison.Ordinal);

    /// <summary>
    /// A denial inside a script: the server says only "The user executing the script can't run this command";
    /// the caller knows which <paramref name="command"/> the script ran. Null when it is not a denial.
    /// </summary>
    public static string? ScriptNoPerm(string message, string command) =>
        NoPermLine(message) ?? (message.Contains("user executing the script can't run", StringComparison.Ordinal)
            ? $"this user has no permissions to run the '{command}' command, which the module's script runs"
            : null);

    /// <summary>The server's NOPERM sentence (names the user and the command or key), or null.</summary>
    public static string? NoPermLine(string message)
    {
        var i = message.IndexOf("NOPERM", StringComparison.Ordinal);
        if (i < 0) return null;
        var end = message.IndexOfAny(new[] { '\r', '\n' }, i);
        var line = (end < 0 ? message[i..] : message[i..end]).Trim();
        return Short(line);
    }
}
