using System;
using System.Collections.Generic;
using System.Management.Automation;
using RedisComponents.Connections;

namespace RedisComponents.Infrastructure;

/// <summary>
/// What one batch of a piped writer produced, built wherever the batch was sent (possibly a timer thread)
/// and written to the pipeline by <see cref="BatchWriterCmdlet{T}"/> on the pipeline thread: objects for
/// -PassThru, error records of items that were rejected (nothing of such an item is applied).
/// </summary>
internal sealed class BatchResult
{
    public static BatchResult Empty => new();

    /// <summary>Objects for the output stream, in order.</summary>
    public List<object> Output { get; } = new();

    /// <summary>Non-terminating errors, one per rejected group of items.</summary>
    public List<ErrorRecord> Errors { get; } = new();

    /// <summary>How many items of the batch were not written.</summary>
    public int NotWritten { get; private set; }

    /// <summary>
    /// Records that <paramref name="count"/> items for <paramref name="keys"/> were rejected by Redis (or the
    /// connection failed): a <c>RedisCommandFailed</c> (or connection) error naming the keys and the count.
    /// </summary>
    public void Reject(ComponentConnection connection, string keys, int count, string itemsName, Exception error)
    {
        var record = ErrorRecords.IsRedisFailure(error)
            ? ErrorRecords.FromRedisFailure(error, connection, keys)
            : ErrorRecords.Create("RedisCommandFailed", ErrorCategory.InvalidOperation, keys, error.Message, error);
        var text = record.ErrorDetails?.Message ?? error.Message;
        record.ErrorDetails = new ErrorDetails($"{count} {itemsName} for {keys} were not written. {text}") { RecommendedAction = record.ErrorDetails?.RecommendedAction };
        Reject(record, count);
    }

    /// <summary>Counts <paramref name="count"/> more items as not written (merging the results of parts of a batch).</summary>
    public void Reject(int count) => NotWritten += count;

    /// <summary>Records a domain's own error (its message already says what was not written) for <paramref name="count"/> items.</summary>
    public void Reject(ErrorRecord record, int count)
    {
        NotWritten += count;
        Errors.Add(record);
    }
}
