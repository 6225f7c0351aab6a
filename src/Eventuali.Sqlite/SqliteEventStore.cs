using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// The embedded SQLite event store: one file (or a private in-memory database), WAL mode,
/// one writer per store with group commit, pooled readers. Several stores and processes may
/// share one file; they take turns writing with BEGIN IMMEDIATE.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore
{
    private readonly SqliteConnection _writerConnection;
    private readonly AppendWriter _writer;
    private readonly WriteQueue _queue;
    private readonly ReadSessionPool _readers;
    private readonly AppendSignal _signal = new();
    private readonly Lock? _gate;
    private readonly StoreTelemetry _telemetry;
    private readonly TenantMeter? _meter;
    private int _disposed;

    private SqliteEventStore(SqliteLocation location, SqliteConnection writerConnection, EventStoreOptions options, TenantMeter? meter)
    {
        _meter = meter;
        Location = location;
        Options = options;
        _writerConnection = writerConnection;

        // An in-memory database has one connection; reads and the writer's batches take turns on it.
        var gate = _gate = location.IsMemory ? new Lock() : null;
        _writer = new AppendWriter(writerConnection, location, options.TimeProvider, gate, _signal, meter);
        _queue = new WriteQueue(_writer, location.Display);
        _readers = new ReadSessionPool(location, writerConnection.Handle!, gate);
        _telemetry = new StoreTelemetry(Diagnostics.EventualiAttributes.SystemSqlite, location.IsMemory ? SqliteLocation.MemoryPath : Path.GetFileName(location.FilePath), options);
        _writer.Telemetry = _telemetry;
        var readers = _readers;
        _telemetry.TrackConnections(location.Display, () => readers.Use);
    }

    /// <inheritdoc />
    public EventStoreOptions Options { get; }

    internal SqliteLocation Location { get; }

    /// <summary>Write transactions this store has committed (one per group-commit batch).</summary>
    internal long CommitCount => _writer.Commits;

    /// <summary>PRAGMA synchronous of the writer connection as SQLite reports it (2 = FULL, 1 = NORMAL).</summary>
    internal long WriterSynchronous { get; private init; }

    /// <summary>
    /// Opens or creates a store. <paramref name="pathAndQuery"/> is what follows <c>sqlite://</c>:
    /// <c>events.db</c>, <c>dir/events.db</c>, <c>/abs/path/events.db</c> or <c>:memory:</c>,
    /// optionally with <c>?durability=full|relaxed</c> (overrides <see cref="EventStoreOptions.Durability"/>).
    /// </summary>
    public static ValueTask<IEventStore> OpenAsync(string pathAndQuery, EventStoreOptions options, CancellationToken cancellationToken = default)
        => OpenAsync(pathAndQuery, options, SqliteMigrations.Catalog, cancellationToken);

    /// <summary>As the public overload, with the migrations to check against (tests add their own).</summary>
    internal static ValueTask<IEventStore> OpenAsync(string pathAndQuery, EventStoreOptions options, MigrationCatalog catalog, CancellationToken cancellationToken)
        => OpenAsync(pathAndQuery, options, catalog, null, cancellationToken);

    /// <summary>A tenant's store: appends are metered and checked against <paramref name="meter"/>'s quotas.</summary>
    internal static ValueTask<IEventStore> OpenAsync(string pathAndQuery, EventStoreOptions options, MigrationCatalog catalog, TenantMeter? meter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var location = SqliteLocation.Parse(pathAndQuery, options.Durability);
        if (options.ReadPageSize < 1)
        {
            throw new EventStoreConfigurationException($"ReadPageSize must be at least 1; got {options.ReadPageSize}.");
        }

        var connection = SqliteConnections.OpenWriter(location, catalog, options);
        try
        {
            var synchronous = Convert.ToInt64(SqliteConnections.Pragma(connection, location, "synchronous"), System.Globalization.CultureInfo.InvariantCulture);
            return ValueTask.FromResult<IEventStore>(new SqliteEventStore(location, connection, options with { Durability = location.Durability }, meter) { WriterSynchronous = synchronous });
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsAppendObserved
            ? _telemetry.AppendAsync(streamId, expectedVersion, events, AppendCoreAsync, cancellationToken)
            : AppendCoreAsync(streamId, expectedVersion, events, cancellationToken);

    private ValueTask<AppendResult> AppendCoreAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        AppendValidation.Validate(streamId, events);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var task = _queue.Enqueue(new PendingAppend(streamId, expectedVersion, events, cancellationToken));
        return task.IsCompletedSuccessfully ? new ValueTask<AppendResult>(task.Result) : new ValueTask<AppendResult>(task);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = StreamVersion.Start, int maxCount = int.MaxValue, ReadDirection direction = ReadDirection.Forward, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsReadObserved
            ? _telemetry.ObserveRead(ReadStreamPagesAsync(streamId, fromVersion, maxCount, direction, archived: false, cancellationToken), Diagnostics.EventualiOperations.ReadStream, streamId, cancellationToken)
            : ReadStreamPagesAsync(streamId, fromVersion, maxCount, direction, archived: false, cancellationToken);

    /// <summary>
    /// Reads a stream page by page, from the live events or from the archive: the one paging loop of both reads
    /// (the statements come from one SQL template, see <see cref="SqlText"/>).
    /// </summary>
    private async IAsyncEnumerable<RecordedEvent> ReadStreamPagesAsync(string streamId, long fromVersion, int maxCount, ReadDirection direction, bool archived, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AppendValidation.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await Task.CompletedTask.ConfigureAwait(false);
        var forward = direction == ReadDirection.Forward;
        var version = forward ? Math.Max(fromVersion, 1) : fromVersion;
        var remaining = maxCount;
        // Most streams are short: start small rather than at the page size.
        var page = new List<RecordedEvent>(Math.Min(Math.Min(Options.ReadPageSize, Math.Max(maxCount, 1)), 64));
        long? streamRowId = null;
        while (remaining > 0 && version >= 1)
        {
            var limit = Math.Min(Options.ReadPageSize, remaining);
            page.Clear();
            var known = streamRowId;
            streamRowId = _readers.Run(
                s =>
                {
                    var id = known ?? _readers.Names.GetId(streamId, s);
                    if (id is { } found)
                    {
                        s.ReadStream(found, version, limit, direction, page, archived);
                    }

                    return id;
                },
                cancellationToken);
            if (streamRowId is null)
            {
                yield break;
            }

            _meter?.CountReads(page.Count);
            foreach (var e in page)
            {
                yield return e;
            }

            remaining -= page.Count;
            if (page.Count < limit)
            {
                yield break;
            }

            version = forward ? page[^1].StreamVersion + 1 : page[^1].StreamVersion - 1;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long fromPosition = 1, int maxCount = int.MaxValue, EventFilter? filter = null, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsReadObserved
            ? _telemetry.ObserveRead(ReadAllPagesAsync(fromPosition, maxCount, filter, cancellationToken), Diagnostics.EventualiOperations.ReadAll, null, cancellationToken)
            : ReadAllPagesAsync(fromPosition, maxCount, filter, cancellationToken);

    private async IAsyncEnumerable<RecordedEvent> ReadAllPagesAsync(long fromPosition, int maxCount, EventFilter? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        await Task.CompletedTask.ConfigureAwait(false);
        var sqlFilter = SqliteFilter.From(filter);
        var from = Math.Max(fromPosition, 1);
        var remaining = maxCount;
        var page = new List<RecordedEvent>(Math.Min(Options.ReadPageSize, Math.Max(maxCount, 1)));
        while (remaining > 0)
        {
            var limit = Math.Min(Options.ReadPageSize, remaining);
            page.Clear();
            _readers.Run(s => { s.ReadAll(from, limit, sqlFilter, page); return 0; }, cancellationToken);
            _meter?.CountReads(page.Count);
            foreach (var e in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return e;
            }

            remaining -= page.Count;
            if (page.Count < limit)
            {
                yield break;
            }

            from = page[^1].Position + 1;
        }
    }

    /// <inheritdoc />
    public ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        return ValueTask.FromResult(_readers.Run(s => _readers.Names.GetId(streamId, s) is { } id ? s.StreamVersion(id) : null, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_readers.Run(static s => s.HeadPosition(), cancellationToken));

    /// <summary>
    /// Completes when this store instance has committed an event above <paramref name="afterPosition"/>
    /// (possibly spuriously: callers re-check). Appends by other processes are not signalled.
    /// </summary>
    internal Task WaitForAppendAsync(long afterPosition, CancellationToken cancellationToken)
        => _signal.WaitAsync(afterPosition, cancellationToken);

    /// <summary>Writes what is already queued, then closes every connection. Later appends throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _telemetry.Dispose();
        await _queue.CloseAsync().ConfigureAwait(false);
        _writer.FlushReads();
        _queue.Dispose();
        _writer.Dispose();
        _readers.Dispose();
        CloseCheckpoints();
        await _writerConnection.DisposeAsync().ConfigureAwait(false);
    }
}
