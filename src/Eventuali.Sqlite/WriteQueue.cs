using System.Collections.Concurrent;

namespace Eventuali.Sqlite;

/// <summary>
/// Schedules appends onto the single <see cref="AppendWriter"/>. Whoever finds the writer idle
/// runs a batch at once on its own thread (no thread hop for a lone writer); appends that arrive
/// meanwhile queue up and the whole backlog is then handed to a dedicated thread, which runs it
/// as group-commit batches of up to <see cref="MaxBatchEvents"/> events.
/// </summary>
internal sealed class WriteQueue : IDisposable
{
    /// <summary>Soft cap on events per transaction, so one commit stays short.</summary>
    public const int MaxBatchEvents = 4096;

    private readonly ConcurrentQueue<PendingAppend> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly AppendWriter _writer;
    private readonly string _display;
    private List<PendingAppend> _batch = [];

    // A batch the caller's thread could not start without waiting for another connection's lock; the writer thread runs it first.
    private List<PendingAppend>? _carried;
    private readonly Thread _thread;
    private int _owned;
    private bool _threadOwns;
    private volatile bool _stopping;
    private volatile bool _closed;

    public WriteQueue(AppendWriter writer, string display)
    {
        _writer = writer;
        _display = display;
        _thread = new Thread(ThreadLoop) { IsBackground = true, Name = "Eventuali SQLite writer" };
        _thread.Start();
    }

    public Task<AppendResult> Enqueue(PendingAppend append)
    {
        if (_closed)
        {
            append.Fail(Disposed());
            return append.Task;
        }

        _queue.Enqueue(append);
        if (TryOwn())
        {
            // Run until our own append is done, then leave any backlog to the writer thread.
            while (!append.Task.IsCompleted && !_queue.IsEmpty)
            {
                if (!RunOneBatch(mayWait: false))
                {
                    _carried = _batch;
                    _batch = [];
                    HandOff();
                    return append.Task;
                }
            }

            ReleaseOrHandOff();
        }
        else if (_closed)
        {
            FailLeftovers();
        }

        return append.Task;
    }

    /// <summary>Refuses new appends, runs what is queued, then stops the writer thread.</summary>
    public async Task CloseAsync()
    {
        _closed = true;
        while (!TryOwn())
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        // Ownership is never released again: nothing else will run a batch.
        while (!_queue.IsEmpty)
        {
            RunOneBatch(mayWait: true);
        }

        _stopping = true;
        _wake.Release();
        FailLeftovers();
    }

    private bool TryOwn() => Interlocked.CompareExchange(ref _owned, 1, 0) == 0;

    private void ReleaseOrHandOff()
    {
        while (true)
        {
            if (!_queue.IsEmpty)
            {
                HandOff();
                return;
            }

            Volatile.Write(ref _owned, 0);
            if (_queue.IsEmpty || !TryOwn())
            {
                return;
            }
        }
    }

    private void HandOff()
    {
        Volatile.Write(ref _threadOwns, true);
        _wake.Release();
    }

    /// <summary>Takes up to <see cref="MaxBatchEvents"/> queued events and runs them; false when it could not start without waiting.</summary>
    private bool RunOneBatch(bool mayWait)
    {
        _batch.Clear();
        var events = 0;
        while (events < MaxBatchEvents && _queue.TryDequeue(out var item))
        {
            if (item.TryTake())
            {
                _batch.Add(item);
                events += item.Events.Count;
            }
        }

        return _batch.Count == 0 || _writer.Run(_batch, mayWait);
    }

    private void ThreadLoop()
    {
        while (true)
        {
            _wake.Wait();
            if (Volatile.Read(ref _threadOwns))
            {
                Volatile.Write(ref _threadOwns, false);
                if (_carried is { } carried)
                {
                    _carried = null;
                    _writer.Run(carried, mayWait: true);
                }

                while (!_queue.IsEmpty)
                {
                    RunOneBatch(mayWait: true);
                }

                ReleaseOrHandOff();
            }
            else if (_stopping)
            {
                return;
            }
        }
    }

    private void FailLeftovers()
    {
        while (_queue.TryDequeue(out var item))
        {
            if (item.TryTake())
            {
                item.Fail(Disposed());
            }
        }
    }

    private ObjectDisposedException Disposed() => new(nameof(SqliteEventStore), $"The SQLite store '{_display}' is disposed.");

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        _thread.Join();
        _wake.Dispose();
    }
}
