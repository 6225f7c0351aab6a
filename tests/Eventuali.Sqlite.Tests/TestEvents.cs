using System.Text;
using System.Text.Json.Nodes;

namespace Eventuali.Sqlite.Tests;

internal static class TestEvents
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static EventData Deposit(int i, EventMetadata? metadata = null)
        => new(EventData.NewEventId(), "Deposited", Encoding.UTF8.GetBytes($$"""{"accountId":"acc-{{i}}","amount":{{i}}.5,"note":"deposit note {{i}}"}"""), metadata);

    public static EventData[] Deposits(int count, int start = 0)
        => [.. Enumerable.Range(start, count).Select(i => Deposit(i))];

    public static async Task<List<RecordedEvent>> ToListAsync(this IAsyncEnumerable<RecordedEvent> source)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in source)
        {
            list.Add(e);
        }

        return list;
    }

    public static void AssertSameJson(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual)
        => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.Span), JsonNode.Parse(actual.Span)), $"JSON differs: {Encoding.UTF8.GetString(actual.Span)}");
}
