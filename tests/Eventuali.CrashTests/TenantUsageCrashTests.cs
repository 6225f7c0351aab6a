using Eventuali.CrashTests.Writer;
using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.CrashTests;

/// <summary>
/// A tenant's usage is metered in the append transaction: after writers of a file-per-tenant store are SIGKILLed
/// mid-load (and the next run retries the unacknowledged appends), the usage report equals a count of the stored rows.
/// </summary>
public sealed class TenantUsageCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-usage-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Usage_equals_the_stored_rows_after_sigkill_mid_load()
    {
        var ct = TestContext.Current.CancellationToken;
        var acme = TenantId.Parse("acme");
        await using (var factory = await EventStore.OpenTenantsAsync($"sqlite://{_dir}/?tenancy=file", cancellationToken: ct))
        {
            await factory.CreateTenantAsync(acme, ct);
        }

        var plan = await LoadWithKillsAsync($"sqlite://{_dir}/?tenancy=file&tenant=acme", ct);
        var (events, bytes, streams) = await CountAsync(Path.Combine(_dir, "data", "acme.db"), ct);
        Assert.True(events >= 4 * 40 * plan.Batch, $"only {events} events stored");
        await using var reopened = await EventStore.OpenTenantsAsync($"sqlite://{_dir}/?tenancy=file", cancellationToken: ct);
        var usage = Assert.Single(await ((ITenantAdministration)reopened).ReadUsageAsync(acme, null, null, ct));
        Assert.Equal((events, bytes, streams), (usage.Events, usage.Bytes, usage.Streams));
    }

    /// <summary>
    /// Four runs of 8 concurrent lanes (so appends share group commits), each SIGKILLed after a number of acknowledged
    /// appends, then a clean run in which every lane retries its interrupted append (same ids: counted once).
    /// </summary>
    internal static async Task<CrashPlan> LoadWithKillsAsync(string tenantUrl, CancellationToken ct)
    {
        var plan = new CrashPlan(Guid.NewGuid(), Streams: 8, Batch: 3);
        var next = Enumerable.Range(0, plan.Streams).Select(s => (long)s).ToArray();
        for (var cycle = 0; cycle < 4; cycle++)
        {
            foreach (var ack in await WriterProcess.RunLanesUntilAsync(tenantUrl, plan, next, 40 + (cycle * 17), ct))
            {
                var lane = ack.Append % plan.Streams;
                next[lane] = Math.Max(next[lane], ack.Append + plan.Streams);
            }
        }

        await WriterProcess.RunLanesAsync(tenantUrl, plan, next, 2, null, ct);
        return plan;
    }

    private static async Task<(long Events, long Bytes, long Streams)> CountAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM events), (SELECT coalesce(sum(length(CAST(data AS BLOB))), 0) FROM events), (SELECT count(*) FROM streams)";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
