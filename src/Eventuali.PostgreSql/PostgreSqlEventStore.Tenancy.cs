using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>A tenant's store (schema mode): the reads counted since the last append are written when it closes.</summary>
public sealed partial class PostgreSqlEventStore
{
    private async ValueTask FlushReadsAsync()
    {
        if (_settings.Meter is not { } meter || meter.TakeReads() is var reads && reads == 0)
        {
            return;
        }

        try
        {
            await ScalarAsync(_sql["usage_reads"], CancellationToken.None,
                new NpgsqlParameter<int> { TypedValue = meter.Today(), NpgsqlDbType = NpgsqlDbType.Integer },
                new NpgsqlParameter<long> { TypedValue = reads, NpgsqlDbType = NpgsqlDbType.Bigint }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or EventStoreUnavailableException)
        {
            // Reads are informational: a store closing while the server is away loses them, as a crash would.
            meter.ReturnReads(reads);
        }
    }
}
