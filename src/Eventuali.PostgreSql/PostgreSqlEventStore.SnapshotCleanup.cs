using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// A hard delete also removes the stream's snapshots when the schema has a <c>snapshots</c> table (added by the
/// snapshots migration). The stream column is found by name: <c>stream_name</c> or <c>stream</c> (the name), or
/// <c>stream_id</c> (the streams row id when it is an integer column, else the name). Column names come from this list only.
/// </summary>
public sealed partial class PostgreSqlEventStore
{
    private async Task DeleteSnapshotsAsync(NpgsqlConnection conn, long streamRowId, string streamName, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        var info = new NpgsqlCommand(_sql["lc_snapshot_columns"], conn);
        await using (info.ConfigureAwait(false))
        {
            info.Parameters.Add(Text(_settings.Schema));
            var reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    columns[reader.GetString(0)] = reader.GetString(1);
                }
            }
        }

        foreach (var column in (string[])["stream_name", "stream", "stream_id"])
        {
            if (!columns.TryGetValue(column, out var type))
            {
                continue;
            }

            var byRowId = column == "stream_id" && type is "bigint" or "integer";
            var delete = new NpgsqlCommand($"DELETE FROM {_settings.QuotedSchema}.snapshots WHERE \"{column}\" = $1", conn);
            await using (delete.ConfigureAwait(false))
            {
                delete.Parameters.Add(byRowId ? Big(streamRowId) : Text(streamName));
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }
    }
}
