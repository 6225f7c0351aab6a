using Eventuali.Sagas;

namespace Eventuali.InMemory;

/// <summary>Saga state and timeouts in process memory, under a lock of their own.</summary>
public sealed partial class InMemoryEventStore : ISagaStore
{
    private readonly Lock _sagaGate = new();
    private readonly Dictionary<(string Name, string Id), SagaRecord> _sagas = [];
    private readonly Dictionary<(string Name, string Id, string Key), SagaTimeout> _sagaTimeouts = [];

    /// <inheritdoc />
    public ValueTask<SagaRecord?> LoadSagaAsync(string sagaName, string sagaId, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateKey(sagaName, sagaId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sagaGate)
        {
            return ValueTask.FromResult(_sagas.GetValueOrDefault((sagaName, sagaId)));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> SaveSagaAsync(SagaWrite write, CancellationToken cancellationToken = default)
    {
        SagaValidation.Validate(write);
        cancellationToken.ThrowIfCancellationRequested();
        var key = (write.SagaName, write.SagaId);
        lock (_sagaGate)
        {
            long? actual = _sagas.TryGetValue(key, out var existing) ? existing.Version : null;
            if ((actual ?? 0) != write.ExpectedVersion)
            {
                throw new SagaConcurrencyException(write.SagaName, write.SagaId, write.ExpectedVersion, actual);
            }

            var version = write.ExpectedVersion + 1;
            var now = AppendValidation.Stamp(Options.TimeProvider);
            _sagas[key] = new SagaRecord(write.SagaName, write.SagaId, version, write.State, write.LastPosition, write.Completed, write.Outbox, now);
            if (write.Completed)
            {
                foreach (var k in _sagaTimeouts.Keys.Where(k => k.Name == write.SagaName && k.Id == write.SagaId).ToList())
                {
                    _sagaTimeouts.Remove(k);
                }
            }
            else
            {
                foreach (var cancel in write.Cancel)
                {
                    _sagaTimeouts.Remove((write.SagaName, write.SagaId, cancel));
                }

                foreach (var t in write.Schedule)
                {
                    _sagaTimeouts[(t.SagaName, t.SagaId, t.Key)] = t with { DueAt = SagaValidation.Micro(t.DueAt) };
                }
            }

            return ValueTask.FromResult(version);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SagaTimeout>> LoadDueTimeoutsAsync(string sagaName, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateDueQuery(sagaName, maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sagaGate)
        {
            IReadOnlyList<SagaTimeout> due = [.. _sagaTimeouts.Values
                .Where(t => t.SagaName == sagaName && t.DueAt <= dueBy)
                .OrderBy(t => t.DueAt).ThenBy(t => t.SagaId, StringComparer.Ordinal).ThenBy(t => t.Key, StringComparer.Ordinal)
                .Take(maxCount)];
            return ValueTask.FromResult(due);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextTimeoutDueAsync(string sagaName, CancellationToken cancellationToken = default)
    {
        SagaValidation.ValidateDueQuery(sagaName, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sagaGate)
        {
            DateTimeOffset? next = null;
            foreach (var t in _sagaTimeouts.Values)
            {
                if (t.SagaName == sagaName && (next is null || t.DueAt < next))
                {
                    next = t.DueAt;
                }
            }

            return ValueTask.FromResult(next);
        }
    }
}
