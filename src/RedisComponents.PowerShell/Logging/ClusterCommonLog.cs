using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RedisComponents.Infrastructure;
using StackExchange.Redis;

namespace RedisComponents.Logging;

/// <summary>
/// The common log on a cluster: per log and arrival hour one short script in the slot of <c>recent:NAME:SEVERITY</c>
/// (type checks, rotation of <c>common:{recent:N:S}</c>, one ZINCRBY per distinct message, the recent LPUSH + LTRIM),
/// atomic as the book's transaction. All scripts of a batch are sent at once (one round trip per node); the hours
/// of one log go one after the other, in order, so each message counts in the hour it arrived.
/// </summary>
internal static class ClusterCommonLog
{
    // KEYS: DEST, DEST:start, DEST:last, DEST:pstart, recent:N:S. ARGV: hour, n, then n (count, message) pairs, then the recent entries.
    private const string Script = "local T = { [1] = 'zset', [2] = 'string', [5] = 'list' }\n" + ClusterRotation.Prelude + """
        local n = tonumber(ARGV[2])
        local scores = {}
        for i = 1, n do scores[i] = redis.call('ZINCRBY', KEYS[1], ARGV[1 + 2 * i], ARGV[2 + 2 * i]) end
        local first = 3 + 2 * n
        while first <= #ARGV do
          local last = math.min(first + 499, #ARGV)
          redis.call('LPUSH', KEYS[5], unpack(ARGV, first, last))
          first = last + 1
        end
        redis.call('LTRIM', KEYS[5], 0, 99)
        return scores
        """;

    /// <summary>Writes a batch as <see cref="CommonLog.Write"/> does, merged in the batch's log order.</summary>
    public static LogBatchOutcome Write(IDatabase db, IReadOnlyList<IGrouping<(string Name, LogSeverity Severity), LogMessage>> logs, TimeSpan timeout, CancellationToken cancel)
    {
        var started = DateTime.UtcNow;
        var parts = logs.Select(log => WriteLogAsync(db, log, started, timeout, cancel)).ToList();
        var outcome = new LogBatchOutcome();
        foreach (var part in parts)
        {
            var done = ClusterRotation.Wait(part, cancel);
            outcome.Written.AddRange(done.Written);
            outcome.Failed.AddRange(done.Failed);
            outcome.Counted.AddRange(done.Counted);
        }
        return outcome;
    }

    private static async Task<LogBatchOutcome> WriteLogAsync(IDatabase db, IGrouping<(string Name, LogSeverity Severity), LogMessage> log, DateTime started, TimeSpan timeout, CancellationToken cancel)
    {
        var outcome = new LogBatchOutcome();
        var destination = CommonLog.KeyFor(log.Key.Name, log.Key.Severity, cluster: true);
        var rotation = RotationKeys.Book(destination);
        var keys = new RedisKey[] { destination, rotation.Start, rotation.Last, rotation.PreviousStart, RecentLog.KeyFor(log.Key.Name, log.Key.Severity) };
        foreach (var hour in log.GroupBy(m => HourlyRotation.HourStart(m.ArrivedUtc), StringComparer.Ordinal).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var batch = hour.ToList();
            var distinct = batch.GroupBy(m => m.Message, StringComparer.Ordinal).Select(g => (Message: g.Key, Count: g.Count())).ToList();
            var args = new List<RedisValue>(2 + 2 * distinct.Count + batch.Count) { hour.Key, distinct.Count };
            foreach (var (message, count) in distinct)
            {
                args.Add(count);
                args.Add(message);
            }
            foreach (var message in batch) args.Add(message.RecentEntry);
            try
            {
                var reply = (RedisValue[])(await ClusterRotation.EvaluateAsync(db, Script, keys, args.ToArray(), started, timeout, cancel).ConfigureAwait(false))!;
                var scores = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var i = 0; i < distinct.Count; i++) scores[distinct[i].Message] = double.Parse((string)reply[i]!, CultureInfo.InvariantCulture);
                outcome.Written.AddRange(batch);
                CommonLog.Count(outcome, destination, hour.Key, batch, scores);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                outcome.Failed.Add(new LogWriteFailure(CommonLog.WrongKey(ex) ?? destination, batch, ex));
            }
        }
        return outcome;
    }
}
