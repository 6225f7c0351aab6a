using System.Globalization;
using Eventuali.Migrations;

namespace Eventuali.Extensibility;

/// <summary>Backend-neutral rules: a store's state against a catalog, the errors that stop it, what open and up must do.</summary>
public static class MigrationLedger
{
    /// <summary>Compares what <paramref name="stored"/> records with <paramref name="catalog"/>: applied, pending, edited and unknown migrations of <paramref name="store"/>.</summary>
    public static MigrationStatus Status(string store, MigrationCatalog catalog, StoredSchema stored)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stored);
        var recorded = stored.History.ToDictionary(h => h.Version);
        var list = new List<MigrationInfo>();
        foreach (var script in catalog.Scripts)
        {
            if (recorded.Remove(script.Version, out var row))
            {
                var state = string.Equals(row.Checksum, script.Checksum, StringComparison.OrdinalIgnoreCase) ? MigrationState.Applied : MigrationState.Modified;
                list.Add(new MigrationInfo(script.Version, script.Name, script.Checksum, state, row.AppliedAt, row.ExecutionMilliseconds, row.Checksum));
            }
            else if (script.Version > stored.Version)
            {
                list.Add(new MigrationInfo(script.Version, script.Name, script.Checksum, MigrationState.Pending, null, null, null));
            }
            else
            {
                // Without a history, everything up to the stored version counts as applied (recorded at adoption).
                var state = stored.HistoryExists ? MigrationState.Skipped : MigrationState.Applied;
                list.Add(new MigrationInfo(script.Version, script.Name, script.Checksum, state, null, null, null));
            }
        }

        foreach (var row in recorded.Values)
        {
            list.Add(new MigrationInfo(row.Version, row.Name, string.Empty, MigrationState.Unknown, row.AppliedAt, row.ExecutionMilliseconds, row.Checksum));
        }

        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        return new MigrationStatus(store, stored.Exists, stored.Version, catalog.LatestVersion, stored.HistoryExists, list);
    }

    /// <summary>Throws when the store is newer than the library or a migration is modified, unknown or skipped.</summary>
    public static void ThrowIfBroken(MigrationStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.CurrentVersion > status.LatestVersion)
        {
            throw new EventStoreConfigurationException(
                $"The {status.Store} has Eventuali schema version {status.CurrentVersion}; this library supports up to version {status.LatestVersion}. Upgrade Eventuali to open it.");
        }

        // A newer migration in the history is not the store's version (that is the one its schema records): name it as what it is.
        var future = status.Migrations.Where(m => m.RecordedChecksum is not null && m.Version > status.LatestVersion).ToList();
        if (future.Count > 0)
        {
            var names = string.Join(", ", future.Select(m => $"{m.Version} ({m.Name})"));
            throw new EventStoreConfigurationException(
                $"The {status.Store} is at schema version {status.CurrentVersion} but its history records newer migration{(future.Count == 1 ? "" : "s")} {names}, " +
                $"applied by a newer Eventuali; this library knows migrations up to version {status.LatestVersion}. Upgrade Eventuali to open it.");
        }

        var errors = status.Errors.Select(Describe).ToList();
        if (errors.Count > 0)
        {
            throw new EventStoreConfigurationException($"The {status.Store} cannot be used: {string.Join("; ", errors)}.");
        }
    }

    /// <summary>What opening must do; throws when the store is broken or has pending migrations that the options do not allow applying.</summary>
    public static OpenAction OnOpen(MigrationStatus status, bool applyMigrationsOnOpen)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!status.StoreExists)
        {
            return OpenAction.Create;
        }

        ThrowIfBroken(status);
        var pending = status.Pending.Select(m => m.Version.ToString(CultureInfo.InvariantCulture)).ToList();
        if (pending.Count == 0)
        {
            return status.HistoryRecorded ? OpenAction.None : OpenAction.Adopt;
        }

        return applyMigrationsOnOpen ? OpenAction.Upgrade : throw new EventStoreConfigurationException(
            $"The {status.Store} is at schema version {status.CurrentVersion}; this library's latest is {status.LatestVersion} (pending: {string.Join(", ", pending)}). " +
            "Run 'eventuali migrate up' with this store's --database URL, or open it with EventStoreOptions.ApplyMigrationsOnOpen = true.");
    }

    /// <summary>The version <c>up</c> aims at: <paramref name="toVersion"/> or the latest; never below the current one (forward-only).</summary>
    public static int Target(MigrationStatus status, int? toVersion)
    {
        ArgumentNullException.ThrowIfNull(status);
        var target = toVersion ?? status.LatestVersion;
        if (target < 1 || target > status.LatestVersion)
        {
            throw new EventStoreConfigurationException(
                $"Cannot migrate the {status.Store} to version {target}: this library's migrations go from 1 to {status.LatestVersion}.");
        }

        if (target < status.CurrentVersion)
        {
            throw new EventStoreConfigurationException(
                $"Cannot migrate the {status.Store} down from version {status.CurrentVersion} to {target}: migrations are forward-only.");
        }

        return target;
    }

    /// <summary>
    /// What the next transaction applies: the next migration up to <paramref name="target"/>; for a store that does not
    /// exist yet, every one up to the target at once, so no other node ever sees a half-created store (and refuses it
    /// as one with pending migrations).
    /// </summary>
    public static IReadOnlyList<MigrationScript> Batch(MigrationCatalog catalog, StoredSchema stored, int target)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stored);
        var pending = catalog.Scripts.Where(s => s.Version > stored.Version && s.Version <= target);
        return stored.Exists ? [.. pending.Take(1)] : [.. pending];
    }

    private static string Describe(MigrationInfo m) => m.State switch
    {
        MigrationState.Modified => $"migration {m.Version} ({m.Name}) was modified after it was applied (recorded checksum {m.RecordedChecksum}, this library's script {m.Checksum}); restore the original script and add the change as a new migration",
        MigrationState.Unknown => $"migration {m.Version} ({m.Name}) is recorded in the store but unknown to this library",
        _ => $"migration {m.Version} ({m.Name}) was never applied but is numbered below the store's version; number new migrations above the latest applied one",
    };
}
