using Eventuali.Typed;

namespace Eventuali.Cqrs;

/// <summary>
/// Runs commands against one aggregate type: load (or create), decide, save expecting the loaded version.
/// On a <see cref="ConcurrencyException"/> it reloads and decides again, up to
/// <see cref="CommandRetryOptions.MaxAttempts"/> attempts with doubling (jittered) waits, then rethrows the conflict.
/// The decision runs once per attempt, each time on freshly loaded state, so it must not have side effects
/// beyond raising events on the aggregate.
/// </summary>
public sealed class CommandHandler<TAggregate>
    where TAggregate : Aggregate, new()
{
    private readonly IEventStore _store;
    private readonly CommandRetryOptions _retry;
    private readonly TimeProvider _clock;

    /// <summary>Creates a handler over <paramref name="store"/>; conflicts are retried as <paramref name="retry"/> says (default: <see cref="CommandRetryOptions.Default"/>).</summary>
    public CommandHandler(IEventStore store, CommandRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _retry = retry ?? CommandRetryOptions.Default;
        _clock = _retry.TimeProvider ?? store.Options.TimeProvider;
    }

    /// <summary>Runs <paramref name="decide"/> on aggregate <paramref name="id"/> (new when it has no stream) and saves what it raised.</summary>
    public ValueTask<CommandResult<TAggregate>> HandleAsync(string id, Action<TAggregate> decide, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return HandleAsync(id, (a, _) => { decide(a); return ValueTask.CompletedTask; }, metadata, cancellationToken);
    }

    /// <summary>As the synchronous overload, for decisions that await (e.g. a lookup the decision needs).</summary>
    public async ValueTask<CommandResult<TAggregate>> HandleAsync(string id, Func<TAggregate, CancellationToken, ValueTask> decide, EventMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            var aggregate = await _store.LoadOrCreateAsync<TAggregate>(id, cancellationToken).ConfigureAwait(false);
            await decide(aggregate, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _store.SaveAsync(aggregate, metadata, cancellationToken).ConfigureAwait(false);
                return new CommandResult<TAggregate>(aggregate, result, attempt);
            }
            catch (ConcurrencyException) when (attempt < _retry.MaxAttempts)
            {
                var wait = _retry.DelayBefore(attempt);
                if (_retry.Jitter)
                {
#pragma warning disable CA5394 // spreading retries needs no unpredictability, only variety
                    wait = TimeSpan.FromTicks((long)(wait.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
#pragma warning restore CA5394
                }

                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
