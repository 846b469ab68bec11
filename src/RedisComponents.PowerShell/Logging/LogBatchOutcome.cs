using System;
using System.Collections.Generic;

namespace RedisComponents.Logging;

/// <summary>Messages of one log key that were not written (a wrong-typed key, a contended hour...); nothing of them was applied.</summary>
internal sealed record LogWriteFailure(string Key, IReadOnlyList<LogMessage> Messages, Exception Error);

/// <summary>What a batch of messages became: those written, in order, and the groups rejected per key.</summary>
internal sealed class LogBatchOutcome
{
    public List<LogMessage> Written { get; } = new();

    public List<LogWriteFailure> Failed { get; } = new();

    /// <summary>The common log's count of each written message (Write-RedisCommonLog -PassThru).</summary>
    public List<CommonLogEntry> Counted { get; } = new();
}
