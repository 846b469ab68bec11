using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Configuration;

/// <summary>Turns what a user passes to -Config (hashtable, object, JSON text) into the JSON the book stores.</summary>
internal static class ConfigValues
{
    public static JsonNode? ToJson(object? value)
    {
        var baseObject = value is PSObject pso ? pso.BaseObject : value;
        return baseObject switch
        {
            null => null,
            string text => ParseText(text),
            IDictionary dictionary => PythonJson.ToNode(dictionary),
            PSCustomObject => PythonJson.ToNode(PropertiesOf((PSObject)value!)),
            _ => PythonJson.ToNode(baseObject),
        };
    }

    /// <summary>
    /// Checks a <c>redis</c>-type config the way the connection code will read it; returns the unknown keys
    /// (a warning, not a failure) or throws <see cref="FormatException"/>.
    /// </summary>
    public static RedisPyConfig ValidateRedis(JsonNode? node)
    {
        if (node is not JsonObject obj) throw new FormatException("a redis config must be an object of redis-py connection arguments, e.g. @{ host = 'cache01'; port = 6379; db = 0 }");
        if (obj["password"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == ComponentConfigInfo.Mask)
        {
            throw new FormatException("the password is the mask '********' shown by Get-RedisComponentConfig; pass the real password, or read the config with Get-RedisComponentConfig -AsPlainText");
        }
        return RedisPyConfig.FromObject(obj);
    }

    private static JsonNode? ParseText(string text)
    {
        try
        {
            return RedisPyConfig.ParseJson(text); // duplicate keys: the last wins, as in Python's json.loads
        }
        catch (FormatException ex)
        {
            throw new FormatException($"the -Config string is not JSON ({ex.Message}); pass a hashtable or JSON text");
        }
    }

    /// <summary>-Credential: its username (when given) and password replace those of the config.</summary>
    public static void ApplyCredential(JsonObject target, System.Net.NetworkCredential credential)
    {
        target.Remove("username");
        target.Remove("password");
        if (!string.IsNullOrEmpty(credential.UserName)) target["username"] = credential.UserName;
        target["password"] = credential.Password;
    }

    private static OrderedDictionary PropertiesOf(PSObject obj)
    {
        var dict = new OrderedDictionary();
        foreach (var property in obj.Properties)
        {
            dict[property.Name] = property.Value is PSObject inner ? inner.BaseObject : property.Value;
        }
        return dict;
    }
}
