using System.Runtime.CompilerServices;

namespace Eventuali.Snapshots;

/// <summary>
/// Snapshot writes of one store that run after the save returned, one at a time in the order taken.
/// A failed write is reported through <see cref="SnapshotOptions.OnIssue"/>; nothing waits for it unless asked.
/// </summary>
internal sealed class BackgroundSnapshots
{
    private static readonly ConditionalWeakTable<IEventStore, BackgroundSnapshots> PerStore = [];

    private readonly Lock _gate = new();
    private readonly SnapshotOptions _options;
    private Task _tail = Task.CompletedTask;

    private BackgroundSnapshots(SnapshotOptions options) => _options = options;

    public static BackgroundSnapshots For(IEventStore store) => PerStore.GetValue(store, s => new BackgroundSnapshots(s.Options.Snapshots));

    public static Task FlushAsync(IEventStore store, CancellationToken ct)
        => PerStore.TryGetValue(store, out var queue) ? queue.Tail.WaitAsync(ct) : Task.CompletedTask;

    private Task Tail
    {
        get
        {
            lock (_gate)
            {
                return _tail;
            }
        }
    }

    public void Enqueue(string streamId, long version, Func<Task> write)
    {
        lock (_gate)
        {
            _tail = RunAfterAsync(_tail, streamId, version, write);
        }
    }

    private async Task RunAfterAsync(Task previous, string streamId, long version, Func<Task> write)
    {
        // The previous write never faults (failures are reported), so this only orders the writes.
        await previous.ConfigureAwait(false);
        await Task.Yield();
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _options.Report(new SnapshotIssue(streamId, version, SnapshotIssueKind.WriteFailed, $"the background snapshot write failed: {ex.Message}", ex));
        }
    }
}
