namespace Eventuali.Migrations;

/// <summary>memory:// keeps no schema: always up to date, nothing to plan or apply.</summary>
internal sealed class MemorySchemaMigrator : ISchemaMigrator
{
    public string Store => "in-memory store";

    public ValueTask<MigrationStatus> StatusAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(new MigrationStatus(Store, StoreExists: true, CurrentVersion: 0, LatestVersion: 0, HistoryRecorded: true, []));

    public ValueTask<MigrationPlan> PlanAsync(int? toVersion = null, CancellationToken cancellationToken = default)
    {
        Refuse(toVersion);
        return ValueTask.FromResult(new MigrationPlan(Store, 0, 0, [], []));
    }

    public ValueTask<MigrationResult> UpAsync(int? toVersion = null, CancellationToken cancellationToken = default)
    {
        Refuse(toVersion);
        return ValueTask.FromResult(new MigrationResult(Store, 0, 0, [], 0));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Refuse(int? toVersion)
    {
        if (toVersion is { } v)
        {
            throw new EventStoreConfigurationException($"Cannot migrate the {Store} to version {v}: it has no schema and no migrations.");
        }
    }
}
