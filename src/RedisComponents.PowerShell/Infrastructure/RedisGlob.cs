using System.Text;

namespace RedisComponents.Infrastructure;

/// <summary>Escapes text for use inside a Redis MATCH/KEYS glob pattern.</summary>
internal static class RedisGlob
{
    public static string Escape(string literal)
    {
        var sb = new StringBuilder(literal.Length);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
