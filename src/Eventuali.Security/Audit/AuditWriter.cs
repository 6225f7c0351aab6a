using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Eventuali.Auditing;

namespace Eventuali.Security.Audit;

/// <summary>
/// The audit log's background writer: a bounded queue (callers wait when it is full, so nothing is dropped), drained
/// in batches of up to <see cref="AuditOptions.MaxBatch"/> entries per transaction, gathered for up to
/// <see cref="AuditOptions.FlushInterval"/> unless a flush is waiting. A failed write keeps its batch, fails the
/// waiting flushes and is retried with backoff; on disposal it is tried a few more times, then reported.
/// </summary>
internal sealed class AuditWriter : IAsyncDisposable
{
    private const int AttemptsOnDispose = 3;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly IAuditLogStore _log;
    private readonly AuditOptions _options;
    private readonly Channel<AuditRecord> _queue;
    private readonly Lock _gate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private readonly Task _loop;
    private TaskCompletionSource _wake = NewSignal();
    private long _enqueued;
    private long _written;
    private volatile bool _disposing;
    private Exception? _fatal;

    public AuditWriter(IAuditLogStore log, AuditOptions options)
    {
        _log = log;
        _options = options;
        _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(RunAsync);
    }

    // Counted before it is queued: a flush's target then covers every entry queued ahead of the caller's own.
    public ValueTask EnqueueAsync(AuditRecord record)
    {
        Interlocked.Increment(ref _enqueued);
        return _queue.Writer.TryWrite(record) ? ValueTask.CompletedTask : EnqueueSlowAsync(record);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _enqueued);
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_written >= target)
            {
                return;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            _wake.TrySetResult();
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _queue.Writer.TryComplete();
        lock (_gate)
        {
            _wake.TrySetResult();
        }

        await _loop.ConfigureAwait(false);
        FailWaiters(new ObjectDisposedException(nameof(AuditInterceptor), "The audit log was closed before these entries were stored."));
        if (_fatal is { } fatal)
        {
            ExceptionDispatchInfo.Throw(fatal);
        }
    }

    private async ValueTask EnqueueSlowAsync(AuditRecord record)
    {
        try
        {
            await _queue.Writer.WriteAsync(record).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The store is being disposed: the operation raced its closing and is not recorded.
            Interlocked.Decrement(ref _enqueued);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<AuditRecord>(Math.Min(_options.MaxBatch, 4096));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Task wake;
            lock (_gate)
            {
                wake = _wake.Task;
            }

            if (!_disposing && !wake.IsCompleted && reader.Count < _options.MaxBatch && _options.FlushInterval > TimeSpan.Zero)
            {
                await Task.WhenAny(wake, Task.Delay(_options.FlushInterval)).ConfigureAwait(false);
            }

            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = NewSignal();
                }
            }

            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            if (!await WriteAsync(batch).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Writes one batch, retrying; false when disposal gave up on it (the error is kept for DisposeAsync).</summary>
    private async Task<bool> WriteAsync(List<AuditRecord> batch)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _log.AppendAuditAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Completed(batch.Count);
                return true;
            }
            catch (Exception ex)
            {
                FailWaiters(ex);
                if (_disposing && attempt >= AttemptsOnDispose)
                {
                    _fatal = new InvalidOperationException($"The audit log could not store {batch.Count + _queue.Reader.Count} buffered entries: {ex.GetType().Name}.", ex);
                    return false;
                }

                await Task.Delay(backoff).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private void Completed(int count)
    {
        lock (_gate)
        {
            _written += count;
            _waiters.RemoveAll(w =>
            {
                if (w.Target > _written)
                {
                    return false;
                }

                w.Done.TrySetResult();
                return true;
            });
        }
    }

    private void FailWaiters(Exception error)
    {
        lock (_gate)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(error);
            }

            _waiters.Clear();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
