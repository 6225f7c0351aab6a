namespace Eventuali.Projections;

/// <summary>
/// A projection: handlers per stored event type that update a read model. Register handlers in the
/// constructor with <see cref="On"/>. The daemon gives each batch one transaction holding the read-model
/// changes and the new position, so a projection writing to the same database has an exactly-once effect.
/// </summary>
public abstract class Projection
{
    private readonly Dictionary<string, Func<RecordedEvent, ProjectionContext, CancellationToken, ValueTask>> _handlers = new(StringComparer.Ordinal);

    /// <summary>Creates a projection with a stable <paramref name="name"/> (it keys the stored position and read model).</summary>
    protected Projection(string name)
    {
        ProjectionNames.Validate(name);
        Name = name;
    }

    /// <summary>The projection's stable name.</summary>
    public string Name { get; }

    /// <summary>The stored event types this projection handles (the daemon reads only these).</summary>
    public IReadOnlyCollection<string> EventTypes => _handlers.Keys;

    /// <summary>Only streams whose id starts with this prefix (null: every stream).</summary>
    public string? StreamIdPrefix { get; protected init; }

    /// <summary>
    /// Into how many partitions the daemon splits this projection (default 1: not split). Each partition applies the
    /// streams that hash to it (<see cref="ProjectionPartitions.Of"/>), in order per stream, with its own lease and
    /// position; the daemons of all live nodes share the partitions evenly. Changing the count re-splits the streams:
    /// rebuild the projection after changing it.
    /// </summary>
    public int Partitions
    {
        get;
        protected init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, ProjectionPartitions.Max);
            field = value;
        }
    } = 1;

    /// <summary>What happens when a handler keeps failing.</summary>
    public ProjectionFailurePolicy FailurePolicy { get; protected init; } = ProjectionFailurePolicy.Default;

    /// <summary>Registers the handler of one stored event type.</summary>
    protected void On(string eventType, Func<RecordedEvent, ProjectionContext, CancellationToken, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(eventType, handler))
        {
            throw new ArgumentException($"Projection '{Name}' already has a handler for event type '{eventType}'.", nameof(eventType));
        }
    }

    internal EventFilter Filter => new() { EventTypes = [.. _handlers.Keys], StreamIdPrefix = StreamIdPrefix };

    internal bool Handles(string streamId, string eventType)
        => _handlers.ContainsKey(eventType) && (StreamIdPrefix is null || streamId.StartsWith(StreamIdPrefix, StringComparison.Ordinal));

    /// <summary>Applies one event; events of other types are ignored.</summary>
    public ValueTask ApplyAsync(RecordedEvent recorded, ProjectionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return _handlers.TryGetValue(recorded.EventType, out var handler) ? handler(recorded, context, cancellationToken) : ValueTask.CompletedTask;
    }
}

/// <summary>What a handler gets besides the event: the read model and the transaction it commits in.</summary>
public sealed class ProjectionContext
{
    private readonly SubjectDocuments? _subjectDocuments;

    internal ProjectionContext(string projection, IProjectionTransaction transaction)
    {
        Projection = projection;
        Transaction = transaction;
        if (transaction.Documents is { } documents && transaction is IProjectionDocumentSubjects recorder)
        {
            _subjectDocuments = new SubjectDocuments(documents, recorder);
        }
    }

    /// <summary>
    /// A context over <paramref name="transaction"/>, for applying a projection outside the daemon (a debugger stepping
    /// it event by event, a test): handlers see <paramref name="transaction"/>'s documents.
    /// </summary>
    public static ProjectionContext Create(string projection, IProjectionTransaction transaction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projection);
        ArgumentNullException.ThrowIfNull(transaction);
        return new ProjectionContext(projection, transaction);
    }

    /// <summary>The name of the projection being applied.</summary>
    public string Projection { get; }

    /// <summary>The built-in read model (key to JSON document), inside the batch's transaction.</summary>
    // While an event about a data subject is applied, the documents written are recorded against the subject for erasure.
    public IProjectionDocuments Documents => (IProjectionDocuments?)_subjectDocuments ?? Transaction.Documents;

    /// <summary>
    /// True while replaying events already applied before a rebuild: skip side effects (emails, calls to other
    /// systems) when it is set. Read-model writes must still happen.
    /// </summary>
    public bool IsReplaying { get; internal set; }

    /// <summary>True when running inside an append's own transaction (an inline projection).</summary>
    public bool IsInline { get; internal init; }

    /// <summary>The backend's connection and transaction; use the backend's extension (e.g. <c>GetSqlite()</c>) to read it.</summary>
    public object? Backend => Transaction.Backend;

    internal IProjectionTransaction Transaction { get; }

    /// <summary>Called before each event is applied: documents written for it are recorded against its data subject, if any.</summary>
    internal void Applying(RecordedEvent recorded)
    {
        if (_subjectDocuments is not null)
        {
            _subjectDocuments.Subject = recorded.Metadata.Headers?.GetValueOrDefault(DataKeys.DataSubjectHeader.Name) is { Length: > 0 } subject ? subject : null;
        }
    }

    /// <summary>The read model seen by a handler applying an event about a subject: every document it writes is recorded against that subject.</summary>
    private sealed class SubjectDocuments(IProjectionDocuments inner, IProjectionDocumentSubjects recorder) : IProjectionDocuments
    {
        public string? Subject { get; set; }

        public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
            => Subject is { } subject ? PutRecordedAsync(key, json, subject, cancellationToken) : inner.PutAsync(key, json, cancellationToken);

        private async ValueTask PutRecordedAsync(string key, string json, string subject, CancellationToken cancellationToken)
        {
            await inner.PutAsync(key, json, cancellationToken).ConfigureAwait(false);
            await recorder.RecordDocumentSubjectAsync(key, subject, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    }
}

/// <summary>What to do with an event that still fails after the retries.</summary>
public enum ProjectionFailureAction
{
    /// <summary>Park the event in the dead-letter table with the error and go on.</summary>
    DeadLetter,

    /// <summary>Stop the projection (state faulted) before the event; a rebuild or a restart tries again.</summary>
    Stop,
}

/// <summary>Retry with exponential backoff, then <see cref="OnFailure"/>.</summary>
public sealed record ProjectionFailurePolicy
{
    /// <summary>The default policy.</summary>
    public static ProjectionFailurePolicy Default { get; } = new();

    /// <summary>Attempts per event, the first included (at least 1).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the second attempt; doubled for each later one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>What happens to an event that still fails after the retries: parked as a dead letter (the default), skipped, or the projection stops.</summary>
    public ProjectionFailureAction OnFailure { get; init; } = ProjectionFailureAction.DeadLetter;

    internal TimeSpan Backoff(int failedAttempts) => InitialBackoff * Math.Pow(2, Math.Min(failedAttempts - 1, 16));
}
