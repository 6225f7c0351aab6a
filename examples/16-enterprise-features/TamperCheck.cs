using System.Text;
using Eventuali.Integrity;
using Eventuali.Security.Chain;
using Microsoft.Data.Sqlite;
using static EnterpriseFeatures.Helpers;

namespace EnterpriseFeatures;

/// <summary>
/// Step 8, the counter-check: the verifier that just said "intact" does see an edit. Someone with write access to the
/// file changes one stored event in place, as a DBA could; verification then names that position.
/// </summary>
internal static class TamperCheck
{
    public static async Task RunAsync(EventChainVerifier verifier, EventChainCheckpoint exported, string file, long position)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using (var connection = new SqliteConnection(builder.ToString()))
        {
            await connection.OpenAsync();
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT typeof(data), data FROM events WHERE position = $position";
            select.Parameters.AddWithValue("$position", position);
            object edited;
            await using (var reader = await select.ExecuteReaderAsync())
            {
                if (!await reader.ReadAsync())
                {
                    throw new InvalidOperationException($"no stored event at position {position}");
                }

                var isBlob = reader.GetString(0) == "blob";
                var json = isBlob ? Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(1)) : reader.GetString(1);
                if (!json.Contains("Controller", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the event at position {position} is not the one expected");
                }

                json = json.Replace("Controller", "Director", StringComparison.Ordinal);
                edited = isBlob ? Encoding.UTF8.GetBytes(json) : json;
            }

            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE events SET data = $data WHERE position = $position";
            update.Parameters.AddWithValue("$data", edited);
            update.Parameters.AddWithValue("$position", position);
            Check(await update.ExecuteNonQueryAsync() == 1, $"8. counter-check: outside the library, the stored title of the event at position {position} is changed from Controller to Director");
        }

        var report = await verifier.VerifyAsync([exported]);
        Check(!report.IsIntact && report.FindingCount == 1 && report.Findings[0].Position == position && report.Findings[0].Kind == EventChainFindingKind.ChainMismatch,
            $"   verification now finds {report.FindingCount}: {report.Findings[0].Message}");
    }
}
