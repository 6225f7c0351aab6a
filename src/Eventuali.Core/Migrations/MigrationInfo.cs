namespace Eventuali.Migrations;

/// <summary>Where one migration stands in one store.</summary>
public enum MigrationState
{
    /// <summary>Recorded in the store with the checksum of this library's script.</summary>
    Applied,

    /// <summary>Not applied yet; <c>migrate up</c> (or opening with <see cref="EventStoreOptions.ApplyMigrationsOnOpen"/>) applies it.</summary>
    Pending,

    /// <summary>Error: recorded with a checksum that differs from this library's script (an applied migration was edited).</summary>
    Modified,

    /// <summary>Error: recorded in the store but unknown to this library.</summary>
    Unknown,

    /// <summary>Error: known to this library, not applied, yet numbered below the store's version (forward-only: number new migrations higher).</summary>
    Skipped,
}

/// <summary>One numbered migration (<c>Sql/NNN_name.sql</c>) and its state in a store.</summary>
/// <param name="Version">The number in the file name.</param>
/// <param name="Name">The rest of the file name, without extension.</param>
/// <param name="Checksum">SHA-256 (hex) of this library's script text (line endings normalised to LF); empty when <see cref="MigrationState.Unknown"/>.</param>
/// <param name="State">Applied, pending, or one of the error states.</param>
/// <param name="AppliedAt">When the store recorded it; null when not applied, or applied but not recorded yet (a store from before the history).</param>
/// <param name="ExecutionMilliseconds">How long it ran; null when not applied (0 when adopted from a store that predates the history).</param>
/// <param name="RecordedChecksum">The checksum the store recorded; null when not applied.</param>
public sealed record MigrationInfo(
    int Version,
    string Name,
    string Checksum,
    MigrationState State,
    DateTimeOffset? AppliedAt,
    long? ExecutionMilliseconds,
    string? RecordedChecksum)
{
    /// <summary>Whether this state stops the store from being opened or migrated.</summary>
    public bool IsError => State is MigrationState.Modified or MigrationState.Unknown or MigrationState.Skipped;
}
