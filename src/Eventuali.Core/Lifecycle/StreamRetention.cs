namespace Eventuali.Lifecycle;

/// <summary>Applies retention policies: an explicit maintenance call, never run on append.</summary>
public static class StreamRetention
{
    /// <summary>
    /// Truncates every stream a policy covers down to what it keeps (max count, max age or both: an event is
    /// kept only when both keep it). Age is measured against the store's <see cref="EventStoreOptions.TimeProvider"/>.
    /// Streams keep their versions; each stream is truncated in its own transaction.
    /// </summary>
    public static async ValueTask<RetentionResult> ApplyRetentionAsync(this IEventStore store, RetentionPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var lifecycle = store.GetStreamLifecycle();
        var streams = 0;
        long removed = 0;
        if (policy.StreamId is { } one)
        {
            var n = await ApplyToStreamAsync(store, lifecycle, one, policy, cancellationToken).ConfigureAwait(false);
            return new RetentionResult(n > 0 ? 1 : 0, n);
        }

        await foreach (var name in lifecycle.ListStreamsAsync(policy.StreamIdPrefix, cancellationToken).ConfigureAwait(false))
        {
            var n = await ApplyToStreamAsync(store, lifecycle, name, policy, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                streams++;
                removed += n;
            }
        }

        return new RetentionResult(streams, removed);
    }

    /// <summary>
    /// Applies the store's own retention (<see cref="EventStoreOptions.Retention"/>, e.g. a tenant's) to every live
    /// stream; nothing when the store has none. The maintenance job of a store whose retention is configured.
    /// </summary>
    public static async ValueTask<RetentionResult> ApplyStoreRetentionAsync(this IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Options.Retention is not { } retention)
        {
            return default;
        }

        retention.Validate();
        var lifecycle = store.GetStreamLifecycle();
        var names = new List<string>();
        await foreach (var name in lifecycle.ListStreamsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            names.Add(name);
        }

        var streams = 0;
        long removed = 0;
        foreach (var name in names)
        {
            var policy = new RetentionPolicy { StreamId = name, MaxCount = retention.MaxCount, MaxAge = retention.MaxAge };
            var n = await ApplyToStreamAsync(store, lifecycle, name, policy, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                streams++;
                removed += n;
            }
        }

        return new RetentionResult(streams, removed);
    }

    /// <summary>The first version a policy keeps of a stream (everything below is removed).</summary>
    internal static async ValueTask<long> KeepFromAsync(IEventStore store, StreamInfo info, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var version = info.Version!.Value;
        var keepFrom = info.TruncatedBefore;
        if (policy.MaxCount is { } max)
        {
            keepFrom = Math.Max(keepFrom, version - max + 1);
        }

        if (policy.MaxAge is { } age && keepFrom <= version)
        {
            var cutoff = store.Options.TimeProvider.GetUtcNow() - age;
            var firstYoung = version + 1;
            await foreach (var e in store.ReadStreamAsync(info.StreamId, keepFrom, int.MaxValue, ReadDirection.Forward, cancellationToken).ConfigureAwait(false))
            {
                if (e.Timestamp >= cutoff)
                {
                    firstYoung = e.StreamVersion;
                    break;
                }
            }

            keepFrom = Math.Max(keepFrom, firstYoung);
        }

        return keepFrom;
    }

    private static async ValueTask<long> ApplyToStreamAsync(IEventStore store, IStreamLifecycle lifecycle, string streamId, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var info = await lifecycle.GetStreamInfoAsync(streamId, cancellationToken).ConfigureAwait(false);
        if (info.Status != StreamStatus.Live || info.Version is null)
        {
            return 0;
        }

        var keepFrom = await KeepFromAsync(store, info, policy, cancellationToken).ConfigureAwait(false);
        return keepFrom > info.TruncatedBefore
            ? await lifecycle.TruncateStreamAsync(streamId, keepFrom, cancellationToken).ConfigureAwait(false)
            : 0;
    }
}
