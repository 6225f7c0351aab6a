using Eventuali.Auditing;
using Eventuali.Interception;

namespace Eventuali.Security.Audit;

/// <summary>
/// Records store operations in the store's access audit log (<see cref="IAuditLogStore"/>): who (the
/// <see cref="AuditContext"/> actor), what, which stream, when (the store's clock) and how it ended; never a payload,
/// header or metadata value. Entries are buffered and written in batches by a background writer; call
/// <see cref="FlushAsync"/> to wait until everything recorded so far is stored. Disposing the audited store (or this
/// interceptor) writes what is left. Apply with <see cref="AuditExtensions.WithAudit"/>.
/// </summary>
public sealed class AuditInterceptor : EventStoreInterceptor, IAsyncDisposable
{
    private readonly AuditOptions _options;
    private readonly TimeProvider _clock;
    private readonly AuditWriter? _writer;
    private long _reads;

    /// <summary>An interceptor recording into <paramref name="store"/>'s audit log (the store must keep one: memory, SQLite and PostgreSQL do).</summary>
    public AuditInterceptor(IEventStore store, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _clock = store.Options.TimeProvider;
        if (options.Mode != AuditMode.Off)
        {
            var log = store.GetFeature<IAuditLogStore>()
                ?? throw new EventStoreConfigurationException($"The store ({store.GetType().Name}) keeps no audit log, so its operations cannot be audited.");
            _writer = new AuditWriter(log, options);
        }
    }

    /// <summary>The settings.</summary>
    public AuditOptions Options => _options;

    /// <inheritdoc />
    public override bool ObservesOperations => _writer is not null;

    /// <inheritdoc />
    public override ValueTask OnOperationAsync(StoreOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_writer is null || !Sampled(operation))
        {
            return ValueTask.CompletedTask;
        }

        var error = operation.Error?.GetType().Name;
        var record = new AuditRecord(
            _clock.GetUtcNow(),
            AuditContext.CurrentActor ?? _options.DefaultActor,
            operation.Action,
            operation.Name,
            operation.StreamId,
            operation.Error is null ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            error is { Length: > AuditValidation.MaxNameLength } ? error[..AuditValidation.MaxNameLength] : error,
            operation.EventCount);
        return _writer.EnqueueAsync(record);
    }

    /// <summary>Waits until every entry recorded before the call is stored; throws what the last write failed with, if it did.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
        => _writer?.FlushAsync(cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Writes what is buffered and stops the writer; later operations are not recorded.</summary>
    public ValueTask DisposeAsync() => _writer?.DisposeAsync() ?? ValueTask.CompletedTask;

    // Writes, erasures, administration and failures always; successful reads every 1/rate-th, counted, so the share is exact.
    private bool Sampled(StoreOperation operation)
    {
        if (_options.Mode == AuditMode.Full || operation.Action != AuditAction.Read || operation.Error is not null)
        {
            return true;
        }

        var k = Interlocked.Increment(ref _reads);
        return Math.Floor(k * _options.SampleRate) > Math.Floor((k - 1) * _options.SampleRate);
    }
}

/// <summary>Applies an <see cref="AuditInterceptor"/> to a store.</summary>
public static class AuditExtensions
{
    /// <summary>
    /// <paramref name="store"/> with its operations recorded in its audit log as <paramref name="options"/> say (with
    /// <see cref="AuditMode.Off"/>, nothing is). Disposing the result writes the buffered entries, then disposes the store.
    /// </summary>
    public static InterceptedEventStore WithAudit(this IEventStore store, AuditOptions options)
        => store.WithInterceptors(new AuditInterceptor(store, options));
}
