using System.Globalization;
using Eventuali.Import;
using Eventuali.Typed;

namespace Eventuali.Testing.Generation;

/// <summary>
/// Generates seeded, reproducible event histories by driving a domain's commands (<see cref="IEventHistoryDomain"/>),
/// and bulk-loads them through the store's import path (one import per stream, at the stream's generated time).
/// Writing first generates everything and checks it (domain errors, streams that already exist) without writing;
/// only then does it write, so a failing domain leaves the store unchanged.
/// </summary>
public sealed class EventHistoryGenerator
{
    private readonly IEventHistoryDomain _domain;
    private readonly EventTypeRegistry _types;
    private readonly EventHistoryOptions _options;

    /// <summary>A generator for <paramref name="domain"/>, serializing with <paramref name="types"/> (use the store's <see cref="EventStoreOptions.Types"/>).</summary>
    public EventHistoryGenerator(IEventHistoryDomain domain, EventTypeRegistry types, EventHistoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(types);
        _domain = domain;
        _types = types;
        _options = options ?? new EventHistoryOptions();
        _options.Validate();
    }

    /// <summary>The streams, generated lazily and in order; the same options always give the same streams.</summary>
    public IEnumerable<GeneratedStream> Generate()
    {
        for (var i = 0; i < _options.Streams; i++)
        {
            yield return GenerateStream(i);
        }
    }

    /// <summary>
    /// Generates and writes the history to <paramref name="store"/>. Throws <see cref="EventGenerationException"/>,
    /// having written nothing, when the domain throws or a generated stream already exists in the store.
    /// <paramref name="progress"/> hears the number of events written so far.
    /// </summary>
    public async Task<EventHistorySummary> WriteAsync(IEventStore store, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lookups = new Queue<(string StreamId, Task<long?> Version)>();
        foreach (var stream in Generate())
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImportValidation.Check(stream.StreamId, stream.Events);
            if (!seen.Add(stream.StreamId))
            {
                throw new EventGenerationException($"Generator domain '{_domain.Name}' produced stream '{stream.StreamId}' twice; give each stream its own id (GenerationContext.Id). Nothing was written.");
            }

            // Lookups in flight too: one at a time, a store's read round trip would dominate the run.
            lookups.Enqueue((stream.StreamId, store.GetStreamVersionAsync(stream.StreamId, cancellationToken).AsTask()));
            if (lookups.Count == MaxInFlight)
            {
                await EnsureNewAsync(lookups.Dequeue()).ConfigureAwait(false);
            }
        }

        while (lookups.TryDequeue(out var lookup))
        {
            await EnsureNewAsync(lookup).ConfigureAwait(false);
        }

        // Several streams in flight, issued in order: a store with group commit (SQLite, PostgreSQL) writes them in
        // few transactions, and a store that writes its queue in order keeps the streams' order in the log.
        var importer = store.GetFeature<IEventImporter>();
        var inFlight = new Queue<(Task Write, int Events)>();
        long streams = 0, events = 0;
        try
        {
            foreach (var stream in Generate())
            {
                if (inFlight.Count == MaxInFlight)
                {
                    events += await CompleteAsync(inFlight.Dequeue()).ConfigureAwait(false);
                    streams++;
                    progress?.Report(events);
                }

                var write = importer is not null
                    ? importer.ImportAsync(stream.StreamId, ExpectedVersion.NoStream, stream.Events, stream.Timestamp, cancellationToken)
                    : store.AppendAsync(stream.StreamId, ExpectedVersion.NoStream, stream.Events, cancellationToken);
                inFlight.Enqueue((write.AsTask(), stream.Events.Count));
            }

            while (inFlight.Count > 0)
            {
                events += await CompleteAsync(inFlight.Dequeue()).ConfigureAwait(false);
                streams++;
                progress?.Report(events);
            }
        }
        catch
        {
            // Let the writes already issued finish (their own errors are the same story) before reporting the first.
            while (inFlight.TryDequeue(out var pending))
            {
                await pending.Write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            throw;
        }

        return new EventHistorySummary(streams, events);
    }

    private const int MaxInFlight = 64;

    private async Task EnsureNewAsync((string StreamId, Task<long?> Version) lookup)
    {
        if (await lookup.Version.ConfigureAwait(false) is not null)
        {
            throw new EventGenerationException($"Stream '{lookup.StreamId}' already exists in the store (generated before with seed {_options.Seed}?); use another seed or an empty store. Nothing was written.");
        }
    }

    private static async Task<int> CompleteAsync((Task Write, int Events) write)
    {
        await write.Write.ConfigureAwait(false);
        return write.Events;
    }

    private GeneratedStream GenerateStream(int index)
    {
        var context = new GenerationContext(index, _options.EventsPerStream, _options.Seed);
        Aggregate aggregate;
        try
        {
            aggregate = _domain.CreateStream(context) ?? throw new InvalidOperationException("CreateStream returned null.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new EventGenerationException($"Generator domain '{_domain.Name}' failed on stream {index} (seed {_options.Seed}): {ex.Message} Nothing was written.", ex);
        }

        var raised = aggregate.UncommittedEvents;
        if (raised.Count == 0 || string.IsNullOrWhiteSpace(aggregate.Id))
        {
            throw new EventGenerationException($"Generator domain '{_domain.Name}' made stream {index} with {(raised.Count == 0 ? "no events" : "no aggregate Id")}; each stream needs an Id and at least one event. Nothing was written.");
        }

        // Event ids come from the stream's own seeded sequence, so a rerun writes the very same events.
        var ids = new Random(unchecked((_options.Seed * 7_919) + index));
        var timestamp = _options.Start + (_options.Spacing * index);
        var events = new EventData[raised.Count];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < events.Length; i++)
        {
            ids.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (random), as little-endian Guid bytes lay it out
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
            events[i] = _types.ToEventData(raised[i], eventId: new Guid(bytes));
        }

        return new GeneratedStream(AggregateStreams.StreamId(aggregate.GetType(), aggregate.Id), timestamp, events);
    }

    /// <summary>The domain's name with the seed, for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_domain.Name} (seed {_options.Seed}, {_options.Streams} streams × ~{_options.EventsPerStream} events)");
}
