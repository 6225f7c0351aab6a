namespace Eventuali.Migrations;

/// <summary>One migration <see cref="ISchemaMigrator.UpAsync"/> would run, with the exact SQL.</summary>
public sealed record PlannedMigration(int Version, string Name, string Checksum, string Sql);

/// <summary>What <c>migrate up</c> would do, computed without changing the store (<c>--dry-run</c>).</summary>
/// <param name="Store">The store, for messages (never a password).</param>
/// <param name="CurrentVersion">The store's schema version now.</param>
/// <param name="TargetVersion">The version the store would reach.</param>
/// <param name="Migrations">The migrations that would run, in order, each in its own transaction.</param>
/// <param name="SupportSql">Bookkeeping the runner adds: creating the history table, re-creating functions after the migrations.</param>
public sealed record MigrationPlan(
    string Store,
    int CurrentVersion,
    int TargetVersion,
    IReadOnlyList<PlannedMigration> Migrations,
    IReadOnlyList<string> SupportSql);

/// <summary>What <see cref="ISchemaMigrator.UpAsync"/> did.</summary>
/// <param name="Store">The store, for messages (never a password).</param>
/// <param name="FromVersion">The schema version before.</param>
/// <param name="ToVersion">The schema version after.</param>
/// <param name="Applied">The migrations this call applied (another node may have applied others meanwhile).</param>
/// <param name="Adopted">How many already-applied migrations were recorded in a history created by this call.</param>
public sealed record MigrationResult(string Store, int FromVersion, int ToVersion, IReadOnlyList<MigrationInfo> Applied, int Adopted);
