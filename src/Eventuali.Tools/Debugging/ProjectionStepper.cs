using System.Text.Json.Nodes;
using Eventuali.Projections;

namespace Eventuali.Tools.Debugging;

/// <summary>
/// Steps a projection against a private in-memory read model: the state is every document it wrote, by key. Nothing
/// reaches the projection's real read model; handlers that use <see cref="ProjectionContext.Backend"/> see null.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The in-memory transaction holds no resource; disposing it does nothing.")]
public sealed class ProjectionStepper : IStateStepper
{
    private readonly Projection _projection;
    private readonly MemoryTransaction _transaction = new();
    private readonly ProjectionContext _context;

    /// <summary>Creates a stepper for <paramref name="projection"/>.</summary>
    public ProjectionStepper(Projection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        _projection = projection;
        _context = ProjectionContext.Create(projection.Name, _transaction);
    }

    /// <inheritdoc />
    public string Name => _projection.Name;

    /// <inheritdoc />
    public string InitialState => "{}";

    /// <inheritdoc />
    public async ValueTask<StepOutcome> ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var handled = _projection.EventTypes.Contains(recorded.EventType)
                      && (_projection.StreamIdPrefix is null || recorded.StreamId.StartsWith(_projection.StreamIdPrefix, StringComparison.Ordinal));
        if (handled)
        {
            await _projection.ApplyAsync(recorded, _context, cancellationToken).ConfigureAwait(false);
        }

        var handler = handled ? $"{_projection.Name}.On({recorded.EventType})" : $"(projection {_projection.Name} does not handle {recorded.EventType})";
        return new StepOutcome(handler, _transaction.State());
    }

    private sealed class MemoryTransaction : IProjectionTransaction, IProjectionDocuments
    {
        private readonly SortedDictionary<string, string> _documents = new(StringComparer.Ordinal);

        public IProjectionDocuments Documents => this;

        public object? Backend => null;

        public string State()
        {
            var state = new JsonObject();
            foreach (var (key, json) in _documents)
            {
                state[key] = JsonNode.Parse(json);
            }

            return state.ToJsonString();
        }

        public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => ValueTask.FromResult(_documents.GetValueOrDefault(key));

        public ValueTask PutAsync(string key, string json, CancellationToken cancellationToken = default)
        {
            _ = JsonNode.Parse(json); // as the real read models do, refuse a document that is not JSON
            _documents[key] = json;
            return ValueTask.CompletedTask;
        }

        public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            _documents.Remove(key);
            return ValueTask.CompletedTask;
        }

        public ValueTask ClearDocumentsAsync(CancellationToken cancellationToken = default)
        {
            _documents.Clear();
            return ValueTask.CompletedTask;
        }

        public ValueTask ParkAsync(RecordedEvent recorded, string error, int attempts, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask RemoveDeadLetterAsync(long id, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask SaveProgressAsync(ProjectionProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask CommitAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
