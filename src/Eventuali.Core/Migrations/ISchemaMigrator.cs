namespace Eventuali.Migrations;

/// <summary>
/// Versioned, forward-only schema migrations of one store, usable without opening the store for appends.
/// Each migration runs in its own transaction with its history row, under a lock that serialises nodes
/// migrating at once (PostgreSQL: transaction advisory lock; SQLite: BEGIN IMMEDIATE); the state is re-read
/// inside the lock, so racing nodes apply each migration exactly once.
/// </summary>
public interface ISchemaMigrator : IAsyncDisposable
{
    /// <summary>The store, for messages (never a password).</summary>
    string Store { get; }

    /// <summary>Reads the store's schema version and history; changes nothing, creates nothing.</summary>
    ValueTask<MigrationStatus> StatusAsync(CancellationToken cancellationToken = default);

    /// <summary>The SQL <see cref="UpAsync"/> would run to reach <paramref name="toVersion"/> (default: latest); changes nothing.</summary>
    /// <exception cref="EventStoreConfigurationException">The store has a modified, unknown or skipped migration, or the target is invalid.</exception>
    ValueTask<MigrationPlan> PlanAsync(int? toVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Applies the pending migrations up to <paramref name="toVersion"/> (default: latest), creating the store when missing.</summary>
    /// <exception cref="EventStoreConfigurationException">The store has a modified, unknown or skipped migration, or the target is invalid.</exception>
    ValueTask<MigrationResult> UpAsync(int? toVersion = null, CancellationToken cancellationToken = default);
}
