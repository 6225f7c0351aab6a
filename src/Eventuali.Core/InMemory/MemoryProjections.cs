using Eventuali.Projections;

namespace Eventuali.InMemory;

/// <summary>The memory store's projection tables behind one lock; transactions buffer changes and apply them on commit.</summary>
internal sealed partial class MemoryProjections
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProjectionRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, string>> _documents = new(StringComparer.Ordinal);
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly HashSet<string> _leased = new(StringComparer.Ordinal);

    public IProjectionLease? TryAcquire(string name, string owner, TimeProvider clock)
    {
        lock (_gate)
        {
            if (!_leased.Add(name))
            {
                return null;
            }

            var now = clock.GetUtcNow();
            _rows[name] = _rows.TryGetValue(name, out var row)
                ? row with { Owner = owner, State = row.State is ProjectionState.Stopped or ProjectionState.Faulted ? ProjectionState.Running : row.State, Error = row.State == ProjectionState.Faulted ? null : row.Error, UpdatedAt = now }
                : new ProjectionRow(name, 0, ProjectionState.Running, null, owner, null, null, 0, 0, now);
            return new Lease(this, name, owner, clock);
        }
    }

    /// <summary>A transaction for an inline projection; its progress creates the row and only moves the position forward.</summary>
    public IProjectionTransaction BeginInline(string name, TimeProvider clock) => new Transaction(new Lease(this, name, "inline", clock) { Inline = true });

    public void EnsureInlineRow(string name, long head, TimeProvider clock)
    {
        lock (_gate)
        {
            _rows.TryAdd(name, new ProjectionRow(name, head, ProjectionState.Running, null, "inline", null, null, 0, 0, clock.GetUtcNow()));
        }
    }

    public IReadOnlyList<ProjectionRow> List()
    {
        lock (_gate)
        {
            return [.. _rows.Values.OrderBy(r => r.Name, StringComparer.Ordinal).Select(WithCount)];
        }
    }

    public bool RequestRebuild(string name, long from, TimeProvider clock)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(name, out var row))
            {
                return false;
            }

            _rows[name] = row with { Position = from, State = ProjectionState.Rebuilding, RequestedFrom = from, RequestSequence = row.RequestSequence + 1, Error = null, UpdatedAt = clock.GetUtcNow() };
            _deadLetters.RemoveAll(d => d.Projection == name && d.Position > from);
            return true;
        }
    }

    public string? GetDocument(string projection, string key)
    {
        lock (_gate)
        {
            return _documents.TryGetValue(projection, out var docs) && docs.TryGetValue(key, out var json) ? json : null;
        }
    }

    public IReadOnlyList<ProjectionDocument> Documents(string projection)
    {
        lock (_gate)
        {
            return _documents.TryGetValue(projection, out var docs) ? [.. docs.Select(d => new ProjectionDocument(d.Key, d.Value))] : [];
        }
    }

    public IReadOnlyList<DeadLetter> DeadLetters(string projection)
    {
        lock (_gate)
        {
            return [.. _deadLetters.Where(d => d.Projection == projection)];
        }
    }

    private ProjectionRow WithCount(ProjectionRow row) => row with
    {
        DeadLetters = _deadLetters.Count(d => d.Projection == row.Name),
        RetryRequests = _deadLetters.Count(d => d.Projection == row.Name && d.RetryRequested),
    };

    private sealed class Lease(MemoryProjections owner, string name, string node, TimeProvider clock) : IProjectionLease
    {
        private int _released;

        public string Name => name;

        public bool Inline { get; init; }

        public ValueTask<ProjectionRow> LoadAsync(CancellationToken cancellationToken = default)
        {
            lock (owner._gate)
            {
                return ValueTask.FromResult(owner.WithCount(owner._rows[name]));
            }
        }

        public ValueTask<IProjectionTransaction> BeginAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
            return ValueTask.FromResult<IProjectionTransaction>(new Transaction(this));
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (owner._gate)
                {
                    owner._leased.Remove(name);
                    if (owner._rows.TryGetValue(name, out var row) && row.Owner == node)
                    {
                        owner._rows[name] = row with { Owner = null };
                    }
                }
            }

            return ValueTask.CompletedTask;
        }

        internal void Commit(Transaction tx)
        {
            lock (owner._gate)
            {
                ObjectDisposedException.ThrowIf(_released != 0, this);
                if (tx.Cleared)
                {
                    owner._documents.Remove(Documents);
                }

                owner.CommitSubjects(Documents, tx.Cleared, tx.Changes, tx.Subjects);

                if (tx.Changes.Count > 0)
                {
                    if (!owner._documents.TryGetValue(Documents, out var docs))
                    {
                        owner._documents[Documents] = docs = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    }

                    foreach (var (key, json) in tx.Changes)
                    {
                        if (json is null)
                        {
                            docs.Remove(key);
                        }
                        else
                        {
                            docs[key] = json;
                        }
                    }
                }

                foreach (var id in tx.Removed)
                {
                    owner._deadLetters.RemoveAll(d => d.Id == id && d.Projection == name);
                }

                foreach (var parked in tx.Parked)
                {
                    owner.Park(parked);
                }

                if (tx.Progress is { } ip && Inline)
                {
                    var now = clock.GetUtcNow();
                    owner._rows[name] = owner._rows.TryGetValue(name, out var existing)
                        ? existing with { Position = Math.Max(existing.Position, ip.Position), UpdatedAt = now }
                        : new ProjectionRow(name, ip.Position, ProjectionState.Running, null, node, null, null, 0, 0, now);
                }
                else if (tx.Progress is { } p)
                {
                    var row = owner._rows[name];
                    var honoured = p.HonouredRequest is { } seq && seq == row.RequestSequence;
                    owner._rows[name] = row with
                    {
                        Position = p.Position, State = p.State, Error = p.Error, RebuildTarget = p.RebuildTarget, Owner = node,
                        RequestedFrom = honoured ? null : row.RequestedFrom, UpdatedAt = clock.GetUtcNow(),
                    };
                }
            }
        }

        internal string? Read(string key)
        {
            lock (owner._gate)
            {
                return owner._documents.TryGetValue(Documents, out var docs) && docs.TryGetValue(key, out var json) ? json : null;
            }
        }

        internal TimeProvider Clock => clock;

        // A partition's documents are its projection's.
        private string Documents => ProjectionPartitions.ProjectionOf(name);
    }

    private sealed class Transaction(Lease lease) : IProjectionTransaction, IProjectionDocuments, IProjectionDocumentSubjects
    {
        public Dictionary<string, string?> Changes { get; } = new(StringComparer.Ordinal);

        public HashSet<(string Key, string Subject)> Subjects { get; } = [];

        public List<DeadLetter> Parked { get; } = [];

        public List<long> Removed { get; } = [];

        public bool Cleared { get; private set; }

        public ProjectionProgress? Progress { get; private set; }

        public IProjectionDocuments Documents => this;

        public object? Backend => null;

        public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            ProjectionNames.ValidateKey(key);
            return ValueTask.FromResult(Changes.TryGetValue(key, out var changed) ? changed : Cleared ? null : lease.Read(key));
        }

        public ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
        {
            ProjectionNames.ValidateKey(key);
            ProjectionNames.ValidateJson(key, json);
            Changes[key] = json;
            return ValueTask.CompletedTask;
        }

        public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            ProjectionNames.ValidateKey(key);
            Changes[key] = null;
            Subjects.RemoveWhere(s => s.Key == key);
            return ValueTask.CompletedTask;
        }

        public ValueTask RecordDocumentSubjectAsync(string key, string subjectId, CancellationToken cancellationToken = default)
        {
            ProjectionNames.ValidateKey(key);
            Subjects.Add((key, subjectId));
            return ValueTask.CompletedTask;
        }

        public ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default)
        {
            Changes.Clear();
            Subjects.Clear();
            Cleared = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(recorded);
            Parked.Add(new DeadLetter(lease.Name, recorded.Position, recorded.StreamId, recorded.StreamVersion, recorded.EventId, recorded.EventType, error, attempts, lease.Clock.GetUtcNow()));
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveDeadLetterAsync(long id, CancellationToken cancellationToken = default)
        {
            Removed.Add(id);
            return ValueTask.CompletedTask;
        }

        public ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default)
        {
            Progress = progress;
            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            lease.Commit(this);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
