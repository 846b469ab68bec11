using System;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.RawCommands.Commands;

/// <summary>
/// Invoke-RedisComponentCommand: any Redis command on a component's Redis, through the module's connection
/// management. Commands that write (COMMAND INFO flags, else a curated list) go through ShouldProcess.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "RedisComponentCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(string), typeof(long), typeof(double), typeof(bool), typeof(object[]), typeof(byte[]), typeof(System.Collections.Specialized.OrderedDictionary))]
public sealed class InvokeRedisComponentCommandCommand : ComponentCmdlet
{
    /// <summary>The command, e.g. HGETALL (or "CONFIG GET": words after the first are taken as leading arguments).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "";

    /// <summary>The command's arguments, in order: strings, numbers or byte arrays.</summary>
    [Parameter(Position = 2, ValueFromRemainingArguments = true)]
    [AllowEmptyString]
    public object?[] Argument { get; set; } = Array.Empty<object?>();

    /// <summary>Output an array reply as one array instead of one object per element.</summary>
    [Parameter]
    public SwitchParameter NoEnumerate { get; set; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        var words = Command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var name = words[0];
        var arguments = words.Skip(1).Cast<object?>().Concat(Argument.Select(a => a is PSObject p ? p.BaseObject : a)).ToArray();
        var display = name.ToUpperInvariant();
        var where = $"Redis of component '{connection.Component}' ({connection.Endpoint})";

        if (RawCommand.RefusalReason(name, arguments) is { } reason)
        {
            WriteError(ErrorRecords.Create("RedisCommandNotSupported", ErrorCategory.InvalidOperation, display,
                $"Invoke-RedisComponentCommand does not send {display} to the {where}: {reason}."));
            return;
        }

        var command = RawCommand.Prepare(connection.Database, name, arguments);
        var keys = command.Keys.Count == 0 ? "" : $" on key{(command.Keys.Count == 1 ? "" : "s")} '{string.Join("', '", command.Keys)}'";
        // The action names the command and its keys only: arguments may hold secrets (CONFIG SET requirepass ...).
        if (command.Traits.Writes && !ShouldProcess($"{where}{keys}", $"Redis command {display}")) return;
        WriteVerbose($"{display}{keys} -> {where}; {(command.Traits.FromServer ? "COMMAND INFO" : "curated list")}: {(command.Traits.Writes ? "writes" : "read-only")}.");

        RedisResult result;
        try
        {
            // The client refuses some commands before sending (a command its map disables): that throws here, not in the task.
            var pending = command.ExecuteAsync(connection.Database);
            pending.Wait(StopToken);
            result = pending.Result;
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl+C: the reply, when it comes, is dropped
        }
        catch (Exception ex) when ((ex is AggregateException { InnerException: { } } a ? a.InnerException : ex) is { } inner
                                   && Classify(inner, display, keys, where) is { } record)
        {
            WriteError(record);
            return;
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner)
        {
            throw inner; // connection failures: the base classifies them (ComponentUnreachable...)
        }

        var value = RedisResultConverter.Convert(result);
        if (value is null) return;
        WriteObject(value, enumerateCollection: !NoEnumerate && value is object?[]);
    }

    private static ErrorRecord? Classify(Exception ex, string command, string keys, string where)
    {
        if (ex is RedisCommandException && ex.Message.Contains("disabled in the command-map", StringComparison.Ordinal))
        {
            return ErrorRecords.Create("RedisCommandNotSupported", ErrorCategory.InvalidOperation, command,
                $"Invoke-RedisComponentCommand does not send {command} to the {where}: the module's connections never send "
                + $"{string.Join(", ", ConnectionDefaults.ExcludedCommands)} (a least-privilege user has none of them). Run it with redis-cli instead.");
        }
        if (ex is RedisCommandException or ArgumentException)
        {
            return ErrorRecords.Create("RedisCommandNotSupported", ErrorCategory.InvalidOperation, command,
                $"The Redis client refused to send {command} to the {where}: {ex.Message}", ex);
        }
        if (ex is not RedisServerException) return null;
        // Redis quotes the arguments of an unknown command: never echo them (they may be secrets).
        var text = Regex.Replace(RedisErrorText.Short(ex.Message), ", with args beginning with:.*$", "", RegexOptions.Singleline);
        var (id, category, advice) = text switch
        {
            _ when text.StartsWith("NOPERM", StringComparison.Ordinal) =>
                ("RedisCommandNotPermitted", ErrorCategory.PermissionDenied, "Grant the component's ACL user this command or key, or use another component."),
            _ when text.StartsWith("ERR unknown command", StringComparison.Ordinal) || text.StartsWith("ERR unknown subcommand", StringComparison.Ordinal) =>
                ("RedisCommandUnknown", ErrorCategory.ObjectNotFound, "Check the spelling, or whether the server renamed or disabled it."),
            _ when text.StartsWith("ERR wrong number of arguments", StringComparison.Ordinal) || text.StartsWith("ERR syntax error", StringComparison.Ordinal) =>
                ("RedisCommandInvalid", ErrorCategory.InvalidArgument, "Check the command's arguments (https://redis.io/commands)."),
            _ when text.StartsWith("WRONGTYPE", StringComparison.Ordinal) =>
                ("RedisCommandFailed", ErrorCategory.InvalidOperation, "The key holds another type: check it with TYPE."),
            _ => ("RedisCommandFailed", ErrorCategory.InvalidOperation, "Check the command and its arguments."),
        };
        // No inner exception: its message quotes the arguments.
        return ErrorRecords.Create(id, category, command, $"{where} refused {command}{keys}: {text}. {advice}");
    }
}
