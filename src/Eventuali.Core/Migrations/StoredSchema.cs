using Eventuali.Migrations;

namespace Eventuali.Extensibility;

/// <summary>One row of a store's migration history.</summary>
public readonly record struct HistoryRow(int Version, string Name, string Checksum, DateTimeOffset? AppliedAt, long? ExecutionMilliseconds);

/// <summary>What a backend read from a store: whether it exists, its schema version and its migration history.</summary>
/// <param name="Version">0 when the store does not exist yet.</param>
/// <param name="HistoryExists">False for a store created before the history existed (adopted on the next upgrade).</param>
/// <param name="History">The recorded rows, by version (empty without a history).</param>
public sealed record StoredSchema(int Version, bool HistoryExists, IReadOnlyList<HistoryRow> History)
{
    /// <summary>A database with no store in it.</summary>
    public static StoredSchema Empty { get; } = new(0, false, []);

    /// <summary>True when a store exists (its schema version is above 0).</summary>
    public bool Exists => Version > 0;
}

/// <summary>What opening a store must do about its schema.</summary>
public enum OpenAction
{
    /// <summary>Up to date: nothing to write.</summary>
    None,

    /// <summary>No store yet: create it at the latest version.</summary>
    Create,

    /// <summary>Up to date but without a history: record the applied migrations.</summary>
    Adopt,

    /// <summary>Pending migrations, and the options allow applying them on open.</summary>
    Upgrade,
}
