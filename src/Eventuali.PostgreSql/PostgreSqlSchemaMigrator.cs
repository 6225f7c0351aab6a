using Eventuali.Migrations;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Schema migrations of one PostgreSQL store (database and schema) without opening it for appends: status and
/// plan change nothing; up creates the schema when missing. Holds a small connection pool until disposed.
/// </summary>
public sealed class PostgreSqlSchemaMigrator : ISchemaMigrator
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PgSettings _settings;
    private readonly SqlText _sql;
    private readonly MigrationCatalog _catalog;
    private readonly TimeProvider _clock;

    internal PostgreSqlSchemaMigrator(PgSettings settings, MigrationCatalog catalog, TimeProvider clock)
    {
        _settings = settings;
        _sql = new SqlText(settings);
        _catalog = catalog;
        _clock = clock;
        _dataSource = NpgsqlDataSource.Create(settings.Builder);
    }

    /// <summary>The migrator for a URL or connection string, as <see cref="PostgreSqlEventStore.OpenAsync"/> takes.</summary>
    public static PostgreSqlSchemaMigrator Create(string urlOrConnectionString, EventStoreOptions? options = null)
    {
        options ??= EventStoreOptions.Default;
        return new PostgreSqlSchemaMigrator(PgSettings.Parse(urlOrConnectionString, options), PgMigrations.Catalog, options.TimeProvider);
    }

    /// <inheritdoc />
    public string Store => PgMigrations.Describe(_settings);

    /// <inheritdoc />
    public async ValueTask<MigrationStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var stored = await RunAsync((conn, ct) => PgSchema.ReadAsync(conn, _settings, ct), cancellationToken).ConfigureAwait(false);
        return MigrationLedger.Status(Store, _catalog, stored);
    }

    /// <inheritdoc />
    public async ValueTask<MigrationPlan> PlanAsync(int? toVersion = null, CancellationToken cancellationToken = default)
        => await RunAsync((conn, ct) => PgMigrationRunner.PlanAsync(conn, _settings, _sql, _catalog, toVersion, ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<MigrationResult> UpAsync(int? toVersion = null, CancellationToken cancellationToken = default)
        => StoreTelemetry.TraceMigrationAsync(
            Diagnostics.EventualiAttributes.SystemPostgreSql,
            $"{_settings.Database}|{_settings.Schema}",
            async () => await RunAsync((conn, ct) => PgMigrationRunner.UpAsync(conn, _settings, _sql, _catalog, toVersion, _clock, ct), cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        try
        {
            var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using (conn.ConfigureAwait(false))
            {
                return await work(conn, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }
        catch (PostgresException ex)
        {
            throw new EventStoreConfigurationException($"Cannot migrate the {Store}: {ex.MessageText}", ex);
        }
    }
}
