using System.Collections.Concurrent;
using System.Globalization;
using NATS.Client.Core;

namespace Eventuali.Messaging.Nats;

/// <summary>
/// Publishes to JetStream as plain NATS publishes with a reply subject under one inbox subscription, and matches the
/// stream's acknowledgements to their batches. A JetStream publish through the client's API is a request with a reply
/// handler of its own per message; on a busy 2-core machine that cost the client 30-40 µs of CPU per event, most of the
/// relay's time. One subscription for every reply and a counter per batch cost a few µs.
/// </summary>
internal sealed class NatsAckInbox : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<long, Batch> _pending = new();
    private readonly SemaphoreSlim _start = new(1, 1);
    private INatsSub<byte[]>? _sub;
    private Task? _reader;
    private long _next;

    public NatsAckInbox(NatsConnection connection)
    {
        _connection = connection;
        // Not under the connection's own inbox prefix (NewInbox): the client hands every reply under that prefix to its
        // request multiplexer, and a subscription of ours there never sees them.
        _prefix = connection.Opts.InboxPrefix + ".eventuali-" + Guid.NewGuid().ToString("N") + ".";
    }

    /// <summary>Subscribes once, before the first publish, so no acknowledgement can come back unheard.</summary>
    public async ValueTask EnsureStartedAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _reader) is not null)
        {
            return;
        }

        await _start.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_reader is null)
            {
                // Acks must not be dropped when the reader falls behind (the client's default for a full channel): wait instead.
                var opts = new NatsSubOpts { ChannelOpts = new NatsSubChannelOpts { Capacity = 65_536, FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait } };
                // The client ends a subscription when the token given here is cancelled: this one lives as long as the publisher.
                _sub = await _connection.SubscribeCoreAsync(_prefix + "*", serializer: NatsRawSerializer<byte[]>.Default, opts: opts, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                Volatile.Write(ref _reader, Task.Run(ReadAsync, CancellationToken.None));
            }
        }
        finally
        {
            _start.Release();
        }
    }

    /// <summary>Starts a batch of <paramref name="count"/> publishes; the task completes when all are acknowledged, or fails.</summary>
    public Batch Begin(int count, TimeSpan timeout, CancellationToken ct)
        => new(this, Interlocked.Add(ref _next, count) - count + 1, count, timeout, ct);

    /// <summary>Publishes message <paramref name="index"/> of <paramref name="batch"/>; its acknowledgement counts for the batch.</summary>
    public ValueTask PublishAsync(Batch batch, int index, string subject, ReadOnlyMemory<byte> body, NatsHeaders headers, CancellationToken ct)
    {
        var id = batch.FirstId + index;
        _pending[id] = batch;
        return _connection.PublishAsync(subject, body, headers, _prefix + id.ToString(CultureInfo.InvariantCulture), NatsRawSerializer<ReadOnlyMemory<byte>>.Default, cancellationToken: ct);
    }

    private async Task ReadAsync()
    {
        await foreach (var msg in _sub!.Msgs.ReadAllAsync().ConfigureAwait(false))
        {
            var token = msg.Subject.AsSpan(msg.Subject.LastIndexOf('.') + 1);
            if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_pending.TryRemove(id, out var batch))
            {
                continue; // the batch already timed out or failed
            }

            batch.Acknowledged(Outcome(msg));
        }
    }

    /// <summary>Null when stored (a duplicate within the window counts as stored: a batch sent again); else why not.</summary>
    private static string? Outcome(in NatsMsg<byte[]> msg)
    {
        if (msg.Headers is { Code: >= 300 } status)
        {
            return status.Code == 503
                ? "no JetStream stream captures the subject (503 no responders)"
                : $"status {status.Code} {status.MessageText}";
        }

        if (msg.Data is not { Length: > 0 } data)
        {
            return "an empty acknowledgement";
        }

        return JetStreamAck.Parse(data).Failure;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sub is not null)
        {
            await _sub.DisposeAsync().ConfigureAwait(false);
        }

        if (_reader is not null)
        {
            await _reader.ConfigureAwait(false);
        }

        _start.Dispose();
    }

    /// <summary>The acknowledgements one batch waits for.</summary>
    internal sealed class Batch
    {
        private readonly NatsAckInbox _inbox;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _timeout;
        private readonly CancellationTokenSource _timer;
        private readonly int _count;
        private int _remaining;
        private string? _failure;

        public Batch(NatsAckInbox inbox, long firstId, int count, TimeSpan timeout, CancellationToken ct)
        {
            _inbox = inbox;
            FirstId = firstId;
            _count = count;
            _remaining = count;
            _timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _timer.CancelAfter(timeout);

            // Kept before anything can finish the batch and dispose the timer (an empty batch finishes at once).
            Deadline = _timer.Token;
            _timeout = _timer.Token.Register(static s => ((Batch)s!).Abandon(), this);
            if (count == 0)
            {
                Finish(disposeTimer: true);
            }
        }

        /// <summary>The reply id of the batch's first message; the others follow it (ids are handed out a batch at a time).</summary>
        public long FirstId { get; }

        public Task Completion => _done.Task;

        /// <summary>Cancelled at the batch's deadline: a publish waiting for a lost connection gives up with it.</summary>
        public CancellationToken Deadline { get; }

        public void Acknowledged(string? failure)
        {
            if (failure is not null)
            {
                Interlocked.CompareExchange(ref _failure, failure, null);
            }

            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Finish(disposeTimer: true);
            }
        }

        /// <summary>Message <paramref name="index"/> could not be sent: it and the rest of the batch (not sent) will never be acknowledged.</summary>
        public void SendFailed(int index, Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, $"sending failed: {ex.Message}", null);
            for (var i = index; i < _count; i++)
            {
                if (_inbox._pending.TryRemove(FirstId + i, out _) || i > index)
                {
                    Acknowledged(null);
                }
            }
        }

        private void Abandon()
        {
            Interlocked.CompareExchange(ref _failure, "not every acknowledgement came back in time", null);
            for (var i = 0; i < _count; i++)
            {
                _inbox._pending.TryRemove(FirstId + i, out _);
            }

            // Called by the timer's own token: the timer is left to the garbage collector rather than disposed in its callback.
            Finish(disposeTimer: false);
        }

        private void Finish(bool disposeTimer)
        {
            var failure = Volatile.Read(ref _failure);
            var completed = failure is null ? _done.TrySetResult() : _done.TrySetException(new InvalidOperationException(failure));
            if (completed && disposeTimer)
            {
                _timeout.Dispose();
                _timer.Dispose();
            }
        }
    }
}
