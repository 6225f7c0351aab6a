using Eventuali.InMemory;
using Eventuali.Subscriptions;

namespace Eventuali.Server.Tests;

/// <summary>An in-memory store whose next head queries or log reads fail, as many as armed, with a permanent error.</summary>
internal sealed class FlakyStore : IEventStore
{
    private readonly InMemoryEventStore _inner = new();
    private readonly AsyncLocal<bool> _connectionFlow = new();
    private int _failHeads;
    private int _failReads;
    private TaskCompletionSource? _hold;

    public EventStoreOptions Options => _inner.Options;

    public InMemoryEventStore Inner => _inner;

    /// <summary>Makes the next <paramref name="count"/> head queries fail.</summary>
    public void FailHeads(int count) => Volatile.Write(ref _failHeads, count);

    /// <summary>Makes the next <paramref name="count"/> reads of the global log fail when they start.</summary>
    public void FailReads(int count) => Volatile.Write(ref _failReads, count);

    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => _inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => _inner.ReadStreamAsync(streamId, fromVersion, maxCount, direction, cancellationToken);

    /// <summary>
    /// Marks reads made from the caller's flow (and what it starts) as a connection's; the shared subscription runs on a
    /// flow of its own, so <see cref="HoldSharedReads"/> can tell them apart.
    /// </summary>
    public void MarkConnectionFlow() => _connectionFlow.Value = true;

    /// <summary>Makes reads of the global log from unmarked flows wait until the returned source is completed.</summary>
    public TaskCompletionSource HoldSharedReads() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if (Take(ref _failReads))
        {
            throw new InvalidOperationException("Injected read failure.");
        }

        return _hold is { } hold && !_connectionFlow.Value
            ? HeldAsync(hold.Task, _inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken), cancellationToken)
            : _inner.ReadAllAsync(fromPosition, maxCount, filter, cancellationToken);
    }

    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
        => _inner.GetStreamVersionAsync(streamId, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
        => Take(ref _failHeads) ? throw new InvalidOperationException("Injected head failure.") : _inner.GetHeadPositionAsync(cancellationToken);

    // Wake-ups on append come from the inner store, as a wrapper passes capabilities through.
    public TFeature? GetFeature<TFeature>()
        where TFeature : class
        => typeof(TFeature) == typeof(IAppendNotifications) ? ((IEventStore)_inner).GetFeature<TFeature>() : null;

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private static async IAsyncEnumerable<RecordedEvent> HeldAsync(Task hold, IAsyncEnumerable<RecordedEvent> events, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await hold.WaitAsync(cancellationToken);
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            yield return e;
        }
    }

    private static bool Take(ref int armed)
    {
        for (var n = Volatile.Read(ref armed); n > 0; n = Volatile.Read(ref armed))
        {
            if (Interlocked.CompareExchange(ref armed, n - 1, n) == n)
            {
                return true;
            }
        }

        return false;
    }
}
