namespace Eventuali;

/// <summary>The outcome of an append.</summary>
/// <param name="StreamVersion">The stream's version after the append (the version of its last event).</param>
/// <param name="LastPosition">The global position of the last appended event.</param>
public readonly record struct AppendResult(long StreamVersion, long LastPosition);
