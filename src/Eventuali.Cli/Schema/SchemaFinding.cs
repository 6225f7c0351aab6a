namespace Eventuali.Cli.Schema;

internal enum FindingSeverity
{
    /// <summary>Compatible: new types or fields.</summary>
    Info,

    /// <summary>Worth a look, not failing: the schema file is behind the code or the store.</summary>
    Warning,

    /// <summary>Stored events would no longer be read correctly: exit code 1.</summary>
    Breaking,
}

/// <summary>One result of a schema check, about one event type, with the code to write when there is a fix.</summary>
internal sealed record SchemaFinding(FindingSeverity Severity, string EventType, string Message, string? Suggestion = null);
