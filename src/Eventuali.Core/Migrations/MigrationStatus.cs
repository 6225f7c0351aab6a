namespace Eventuali.Migrations;

/// <summary>The schema state of one store, as <see cref="ISchemaMigrator.StatusAsync"/> reads it without changing anything.</summary>
/// <param name="Store">The store, for messages (never a password).</param>
/// <param name="StoreExists">False when there is no store yet (no file, empty database or schema); <c>migrate up</c> creates it.</param>
/// <param name="CurrentVersion">The store's schema version (0 when it does not exist).</param>
/// <param name="LatestVersion">The highest migration this library knows (0 for a store without a schema, such as memory://).</param>
/// <param name="HistoryRecorded">Whether the store has its migration history (a store created before it existed is adopted on the next upgrade or open).</param>
/// <param name="Migrations">Every migration this library knows and every one the store recorded, by version.</param>
public sealed record MigrationStatus(
    string Store,
    bool StoreExists,
    int CurrentVersion,
    int LatestVersion,
    bool HistoryRecorded,
    IReadOnlyList<MigrationInfo> Migrations)
{
    /// <summary>Migrations not applied yet, in order.</summary>
    public IEnumerable<MigrationInfo> Pending => Migrations.Where(m => m.State == MigrationState.Pending);

    /// <summary>Migrations in an error state (modified, unknown or skipped), in order.</summary>
    public IEnumerable<MigrationInfo> Errors => Migrations.Where(m => m.IsError);

    /// <summary>True when nothing is pending and nothing is wrong.</summary>
    public bool IsUpToDate => !Migrations.Any(m => m.State != MigrationState.Applied);

    /// <summary>
    /// Throws what opening the store would throw for its schema history: a store newer than this library, or a
    /// migration that is modified, unknown or skipped (each named by version). Pending migrations are no error here.
    /// </summary>
    /// <exception cref="EventStoreConfigurationException">The store cannot be used by this library as it is.</exception>
    public void ThrowIfUnusable() => MigrationLedger.ThrowIfBroken(this);
}
