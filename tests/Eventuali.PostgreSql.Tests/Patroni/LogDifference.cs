using System.Text;

namespace Eventuali.PostgreSql.Tests;

/// <summary>
/// What a subscription delivered against the log, explained around the first difference (missing, extra, duplicated
/// or moved events, with positions as transaction id : number), so a failure that happens once in many runs can be
/// understood from its message alone.
/// </summary>
internal static class LogDifference
{
    /// <summary>
    /// Null when <paramref name="delivered"/> is exactly <paramref name="log"/>, in order. Events in
    /// <paramref name="outcomeUnknown"/> (an append of theirs ended with an unknown outcome) are marked: one the old
    /// primary showed but did not keep is among them.
    /// </summary>
    public static string? Describe(IReadOnlyList<RecordedEvent> log, IReadOnlyList<RecordedEvent> delivered, IReadOnlySet<Guid>? outcomeUnknown = null)
    {
        var unknown = outcomeUnknown ?? new HashSet<Guid>();
        string Show(RecordedEvent e) => $"{e.EventId} {e.StreamId}@{e.StreamVersion} at {e.Position} ({e.Position >> 20}:{e.Position & 0xFFFFF}){(unknown.Contains(e.EventId) ? " [outcome was unknown]" : string.Empty)}";
        string At(IReadOnlyList<RecordedEvent> events, int i) => i < events.Count ? Show(events[i]) : "-";
        void Line(StringBuilder text, string what, IEnumerable<RecordedEvent> events)
        {
            var list = events.ToList();
            text.AppendLine($"{what}: {list.Count}{(list.Count == 0 ? string.Empty : " - " + string.Join(", ", list.Take(8).Select(Show)))}");
        }

        var first = 0;
        while (first < log.Count && first < delivered.Count && log[first].EventId == delivered[first].EventId)
        {
            first++;
        }

        if (first == log.Count && first == delivered.Count)
        {
            return null;
        }

        var inLog = log.ToDictionary(e => e.EventId, e => e.Position);
        var times = delivered.GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.Count());
        var text = new StringBuilder();
        text.AppendLine($"the subscription delivered {delivered.Count} events, the log holds {log.Count}; the first difference is at index {first}");
        Line(text, "in the log, never delivered", log.Where(e => !times.ContainsKey(e.EventId)));
        Line(text, "delivered, not in the log", delivered.Where(e => !inLog.ContainsKey(e.EventId)));
        Line(text, "delivered more than once", delivered.Where(e => times[e.EventId] > 1));
        Line(text, "delivered at another position than the log's", delivered.Where(e => inLog.TryGetValue(e.EventId, out var p) && p != e.Position));
        text.AppendLine("around it (index: log | delivered):");
        for (var i = Math.Max(0, first - 3); i < Math.Min(Math.Max(log.Count, delivered.Count), first + 8); i++)
        {
            text.AppendLine($"  {i}: {At(log, i)} | {At(delivered, i)}");
        }

        return text.ToString();
    }
}
