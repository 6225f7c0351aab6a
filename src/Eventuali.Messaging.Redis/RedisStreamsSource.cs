using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Eventuali.Messaging.Redis;

/// <summary>
/// Receives one topic's Redis stream as a member of a consumer group (created at the stream's start when missing).
/// An entry is acknowledged with <c>XACK</c> after handling. Entries a consumer read but never acknowledged (it crashed)
/// are claimed by a live consumer of the group with <c>XAUTOCLAIM</c> once idle for
/// <see cref="RedisStreamsOptions.ClaimIdleTime"/>, and a consumer restarted under the same name first reads its own
/// pending entries again. Dead letters go to the stream <c>KeyPrefix + "dead:" + group</c> with the reason in the
/// <c>reason</c> field. While Redis is down the source waits and reads again; it never ends on its own.
/// </summary>
public sealed class RedisStreamsSource : IMessageSource
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStreamsOptions _options;
    private readonly string _topic;
    private readonly RedisKey _key;
    private readonly string _group;
    private readonly string _consumer;
    private readonly bool _ownsConnection;

    /// <summary>
    /// A source reading <paramref name="topic"/> in the consumer group <paramref name="group"/> as the consumer
    /// <paramref name="consumer"/> (a name per process: two live consumers must not share one).
    /// </summary>
    public RedisStreamsSource(IConnectionMultiplexer connection, string group, string consumer, string topic, RedisStreamsOptions? options = null, bool ownsConnection = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        _options = options ?? new RedisStreamsOptions();
        _options.Validate();
        _connection = connection;
        _topic = topic;
        _key = _options.StreamKey(topic);
        _group = group;
        _consumer = consumer;
        _ownsConnection = ownsConnection;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReceivedMessage> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var db = _connection.GetDatabase();
        var state = new ReadState();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await NextAsync(db, state, cancellationToken).ConfigureAwait(false);
            foreach (var (entry, redelivered) in batch)
            {
                yield return new Delivery(this, db, entry, redelivered);
            }

            if (batch.Count == 0)
            {
                await Task.Delay(state.Down ? _options.PollInterval * 10 : _options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<List<(StreamEntry Entry, bool Redelivered)>> NextAsync(IDatabase db, ReadState state, CancellationToken ct)
    {
        var batch = new List<(StreamEntry, bool)>();
        try
        {
            if (!state.GroupReady)
            {
                await EnsureGroupAsync(db).ConfigureAwait(false);
                state.GroupReady = true;
            }

            if (state.OwnPendingAfter is { } after)
            {
                // Restarted under the same name: what this consumer read before and never acknowledged comes first.
                var own = await db.StreamReadGroupAsync(_key, _group, _consumer, after, _options.ReadBatchSize).WaitAsync(ct).ConfigureAwait(false);
                state.OwnPendingAfter = own.Length == 0 ? (RedisValue?)null : own[^1].Id;
                await AddAsync(db, batch, own, redelivered: true).ConfigureAwait(false);
            }
            else
            {
                var claimed = await db.StreamAutoClaimAsync(_key, _group, _consumer, (long)_options.ClaimIdleTime.TotalMilliseconds, state.ClaimCursor, _options.ReadBatchSize).WaitAsync(ct).ConfigureAwait(false);
                state.ClaimCursor = claimed.NextStartId.IsNullOrEmpty ? "0-0" : claimed.NextStartId;
                await AddAsync(db, batch, claimed.ClaimedEntries, redelivered: true).ConfigureAwait(false);
                if (batch.Count > 0 || (_options.StrictOrder && (await db.StreamPendingAsync(_key, _group).WaitAsync(ct).ConfigureAwait(false)).PendingMessageCount > 0))
                {
                    // Claimed entries first; and under strict order nothing new while older entries wait to be claimed.
                    state.Down = false;
                    return batch;
                }

                var fresh = await db.StreamReadGroupAsync(_key, _group, _consumer, StreamPosition.NewMessages, _options.ReadBatchSize).WaitAsync(ct).ConfigureAwait(false);
                await AddAsync(db, batch, fresh, redelivered: false).ConfigureAwait(false);
            }

            state.Down = false;
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // The stream or group went away (deleted, or a server restarted without its data): made again on the next read.
            state.GroupReady = false;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // Redis down or restarting: wait and read again; unacknowledged entries stay pending meanwhile.
            state.Down = true;
        }

        return batch;
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(_key, _group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already: it keeps its position.
        }
    }

    private async Task AddAsync(IDatabase db, List<(StreamEntry, bool)> batch, StreamEntry[] entries, bool redelivered)
    {
        foreach (var entry in entries)
        {
            if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
            {
                // Trimmed away (MAXLEN) while pending: nothing left to deliver, so it is acknowledged.
                await db.StreamAcknowledgeAsync(_key, _group, entry.Id).ConfigureAwait(false);
                continue;
            }

            batch.Add((entry, redelivered));
        }
    }

    private sealed class ReadState
    {
        public bool GroupReady;
        public bool Down;
        public RedisValue? OwnPendingAfter = "0";
        public RedisValue ClaimCursor = "0-0";
    }

    private sealed class Delivery : ReceivedMessage
    {
        private readonly RedisStreamsSource _source;
        private readonly IDatabase _db;
        private readonly StreamEntry _entry;

        public Delivery(RedisStreamsSource source, IDatabase db, StreamEntry entry, bool redelivered)
        {
            _source = source;
            _db = db;
            _entry = entry;
            DeliveryCount = redelivered ? 2 : 1;
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            string? id = null;
            ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
            foreach (var field in entry.Values)
            {
                var name = (string?)field.Name ?? string.Empty;
                if (name == RedisStreamFields.MessageId)
                {
                    id = field.Value;
                }
                else if (name == RedisStreamFields.Body)
                {
                    body = (byte[]?)field.Value ?? [];
                }
                else if (name.StartsWith(RedisStreamFields.HeaderPrefix, StringComparison.Ordinal))
                {
                    headers[name[RedisStreamFields.HeaderPrefix.Length..]] = field.Value.ToString();
                }
            }

            // An entry written by something other than the relay has no id field: its Redis entry id stands in.
            Message = new InboundMessage(id is { Length: > 0 } ? id : $"{source._key}:{entry.Id}", source._topic, body, headers);
        }

        public override InboundMessage Message { get; }

        /// <summary>1 for a first read; 2 for an entry read again or claimed (Redis counts more, this does not ask).</summary>
        public override int DeliveryCount { get; }

        public override async ValueTask AckAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                await _db.StreamAcknowledgeAsync(_source._key, _source._group, _entry.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // Redis down: the entry stays pending and is delivered again once claimed; the inbox makes that a no-op.
            }
        }

        public override async ValueTask DeadLetterAsync(string reason, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrEmpty(reason);
            var fields = new NameValueEntry[_entry.Values.Length + 2];
            _entry.Values.CopyTo(fields, 0);
            fields[^2] = new NameValueEntry(RedisStreamFields.DeadLetterReason, reason);
            fields[^1] = new NameValueEntry("source", _source._key.ToString() + " " + _entry.Id);
            try
            {
                await _db.StreamAddAsync(_source._options.DeadLetterKey(_source._group), fields, maxLength: _source._options.MaxLength, useApproximateMaxLength: true).WaitAsync(cancellationToken).ConfigureAwait(false);
                await _db.StreamAcknowledgeAsync(_source._key, _source._group, _entry.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // Redis down: the entry stays pending, is claimed again and dead-lettered then.
            }
        }
    }
}
