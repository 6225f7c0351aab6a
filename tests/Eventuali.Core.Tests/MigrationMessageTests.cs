using Eventuali.Migrations;

namespace Eventuali.Core.Tests;

/// <summary>What a store newer than the library is told, in its own terms: its schema version, or a newer migration in its history.</summary>
public sealed class MigrationMessageTests
{
    private static MigrationInfo Applied(int version, string name) => new(version, name, "aa", MigrationState.Applied, DateTimeOffset.UnixEpoch, 1, "aa");

    [Fact]
    public void A_future_migration_in_the_history_is_named_as_a_migration_not_as_the_schema_version()
    {
        var status = new MigrationStatus("SQLite file '/data/events.db'", StoreExists: true, CurrentVersion: 7, LatestVersion: 7, HistoryRecorded: true,
            [Applied(6, "stream_lifecycle"), Applied(7, "append_many"), new MigrationInfo(9, "tenant_index", string.Empty, MigrationState.Unknown, DateTimeOffset.UnixEpoch, 3, "bb")]);

        var ex = Assert.Throws<EventStoreConfigurationException>(status.ThrowIfUnusable);
        Assert.Equal(
            "The SQLite file '/data/events.db' is at schema version 7 but its history records newer migration 9 (tenant_index), applied by a newer Eventuali; " +
            "this library knows migrations up to version 7. Upgrade Eventuali to open it.",
            ex.Message);
        Assert.DoesNotContain("schema version 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_schema_version_is_still_reported_as_the_schema_version()
    {
        var status = new MigrationStatus("SQLite file '/data/events.db'", StoreExists: true, CurrentVersion: 99, LatestVersion: 7, HistoryRecorded: true, [Applied(7, "append_many")]);
        var ex = Assert.Throws<EventStoreConfigurationException>(status.ThrowIfUnusable);
        Assert.StartsWith("The SQLite file '/data/events.db' has Eventuali schema version 99; this library supports up to version 7.", ex.Message, StringComparison.Ordinal);
    }
}
