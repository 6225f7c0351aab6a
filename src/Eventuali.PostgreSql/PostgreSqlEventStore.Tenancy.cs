using Eventuali.Migrations;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>A tenant's store (schema mode): the reads counted since the last append are written when it closes.</summary>
public sealed partial class PostgreSqlEventStore
{
    /// <summary>
    /// A tenant's store in shared tables (<c>tenancy=rls</c>, <paramref name="settings"/> naming the tenant) on the
    /// application role's pool, which it shares. The application role never migrates: a schema that is not up to date
    /// is refused, naming the owner URL that migrates it.
    /// </summary>
    internal static async ValueTask<PostgreSqlEventStore> OpenTenantBoundAsync(NpgsqlDataSource dataSource, PgSettings settings, EventStoreOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (conn.ConfigureAwait(false))
            {
                if (await PgSchema.CheckOnOpenAsync(conn, settings, PgMigrations.Catalog, applyOnOpen: false, cancellationToken).ConfigureAwait(false) != OpenAction.None)
                {
                    throw new EventStoreConfigurationException(
                        $"The shared tables of {settings.Describe} are not set up; create a tenant with the owner role's URL (--owner-url or EVENTUALI_OWNER_URL), which migrates them.");
                }
            }
        }
        catch (Exception ex) when (PgErrors.Map(ex, settings) is { } mapped)
        {
            throw mapped;
        }

        return new PostgreSqlEventStore(dataSource, settings, new SqlText(settings), options, ownsDataSource: false);
    }

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
