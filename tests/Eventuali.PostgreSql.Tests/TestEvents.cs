using Npgsql;

namespace Eventuali.PostgreSql.Tests;

internal static class TestEvents
{
    public static EventData Json(string type = "t", string json = "{\"n\":1}") => EventData.Json(type, json);

    public static EventData[] Many(int count, string type = "t")
        => [.. Enumerable.Range(0, count).Select(i => EventData.Json(type, $"{{\"i\":{i}}}"))];

    /// <summary>
    /// Waits until readers of the global log can see <paramref name="position"/>. Tests run in parallel on one
    /// server, and any open write transaction in the cluster holds the readable horizon back until it ends.
    /// </summary>
    public static async Task WaitUntilReadableAsync(IEventStore store, long position)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await store.GetHeadPositionAsync(TestContext.Current.CancellationToken) < position)
        {
            Assert.True(DateTime.UtcNow < deadline, $"position {position} did not become readable within 30 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Calls the append function inside a raw transaction, as the store would; returns its status row.</summary>
    public static async Task<(int Status, long? Position)> AppendRawAsync(NpgsqlConnection conn, string schema, string stream, Guid eventId, int firstN = 1)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT status, last_position FROM \"{schema}\".append($1, -1, $2, ARRAY[$3]::uuid[], ARRAY['held']::text[], ARRAY[convert_to('{{\"held\":true}}', 'UTF8')], " +
            "ARRAY['application/json']::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::jsonb[], now(), NULL)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = stream });
        cmd.Parameters.Add(new NpgsqlParameter { Value = firstN });
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt64(1));
    }
}
