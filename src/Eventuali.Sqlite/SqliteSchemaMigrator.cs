using Eventuali.Migrations;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Schema migrations of one SQLite file without opening it as a store: status and plan never create or
/// change the file; up creates it when missing. A connection is opened per call and closed after.
/// </summary>
public sealed class SqliteSchemaMigrator : ISchemaMigrator
{
    private readonly SqliteLocation _location;
    private readonly MigrationCatalog _catalog;
    private readonly TimeProvider _clock;

    internal SqliteSchemaMigrator(SqliteLocation location, MigrationCatalog catalog, TimeProvider clock)
    {
        _location = location;
        _catalog = catalog;
        _clock = clock;
    }

    /// <summary>The migrator for <paramref name="pathAndQuery"/> (what follows <c>sqlite://</c>, as for <see cref="SqliteEventStore.OpenAsync(string, EventStoreOptions, CancellationToken)"/>).</summary>
    public static SqliteSchemaMigrator Create(string pathAndQuery, EventStoreOptions? options = null)
    {
        options ??= EventStoreOptions.Default;
        return new SqliteSchemaMigrator(SqliteLocation.Parse(pathAndQuery, options.Durability), SqliteMigrations.Catalog, options.TimeProvider);
    }

    /// <inheritdoc />
    public string Store => SqliteMigrations.Describe(_location);

    /// <inheritdoc />
    public ValueTask<MigrationStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenExisting();
        var stored = connection is null ? StoredSchema.Empty : Classified(() => SqliteSchema.Read(connection, null, _location));
        return ValueTask.FromResult(MigrationLedger.Status(Store, _catalog, stored));
    }

    /// <inheritdoc />
    public ValueTask<MigrationPlan> PlanAsync(int? toVersion = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenExisting();
        return ValueTask.FromResult(Classified(() => SqliteMigrationRunner.Plan(connection, _location, _catalog, toVersion)));
    }

    /// <inheritdoc />
    public ValueTask<MigrationResult> UpAsync(int? toVersion = null, CancellationToken cancellationToken = default)
        => StoreTelemetry.TraceMigrationAsync(
            Diagnostics.EventualiAttributes.SystemSqlite,
            _location.IsMemory ? SqliteLocation.MemoryPath : Path.GetFileName(_location.FilePath),
            () => Up(toVersion, cancellationToken));

    private ValueTask<MigrationResult> Up(int? toVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_location.FilePath is { } path)
        {
            SqliteConnections.CheckHeader(path);
        }

        using var connection = SqliteConnections.Open(_location, SqliteOpenMode.ReadWriteCreate);
        return ValueTask.FromResult(Classified(() =>
        {
            // Classify before anything changes the file (journal_mode=WAL rewrites the header), then run in WAL like a store.
            var stored = SqliteSchema.Read(connection, null, _location);
            if (stored.Exists)
            {
                MigrationLedger.ThrowIfBroken(MigrationLedger.Status(Store, _catalog, stored));
            }

            SqliteConnections.Pragma(connection, _location, "journal_mode = WAL");
            return SqliteMigrationRunner.Up(connection, _location, _catalog, toVersion, _clock);
        }));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The file's connection, or null when there is no file yet (status and plan create nothing).</summary>
    private SqliteConnection? OpenExisting()
    {
        if (_location.FilePath is not { } path)
        {
            return SqliteConnections.Open(_location, SqliteOpenMode.Memory);
        }

        if (!File.Exists(path))
        {
            return null;
        }

        SqliteConnections.CheckHeader(path);
        return SqliteConnections.Open(_location, SqliteOpenMode.ReadWrite);
    }

    private T Classified<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_NOTADB)
        {
            throw new EventStoreConfigurationException($"The file '{_location.Display}' is not a SQLite database.", ex);
        }
        catch (SqliteException ex)
        {
            throw new EventStoreConfigurationException($"Cannot read the schema of the {Store}: {ex.Message}", ex);
        }
    }
}
