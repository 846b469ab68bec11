using System.Collections.Generic;

namespace RedisComponents.Counters;

/// <summary>
/// Items of one counter that the server refused, none of their writes applied: a key of the wrong type
/// (or a sample that is not an integer), or a total that would overflow a 64-bit integer.
/// </summary>
internal sealed record CounterRejection(string Name, string Key, int Items, long Hits, bool Overflow, string ServerMessage, IReadOnlyList<int> ItemIndices);
