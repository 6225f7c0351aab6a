using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// The event store on PostgreSQL. Appends run as one function call each (group-committed across concurrent
/// callers); positions derive from transaction ids so readers of the global log never skip an event.
/// </summary>
public sealed partial class PostgreSqlEventStore : IEventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PgSettings _settings;
    private readonly SqlText _sql;
    private readonly AppendCommitter _committer;
    private readonly StreamNameCache _names = new();
    private readonly StringCache _strings = new();
    private readonly OwnWritesVisibility _visibility = new();
    private readonly StoreTelemetry _telemetry;

    // False for a tenant's store: its factory's data source is shared by every tenant and outlives the store.
    private readonly bool _ownsDataSource;

    private PostgreSqlEventStore(NpgsqlDataSource dataSource, PgSettings settings, SqlText sql, EventStoreOptions options, bool ownsDataSource = true)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _settings = settings;
        _sql = sql;
        Options = options;
        _committer = new AppendCommitter(dataSource, settings, sql);

        // Connection use is reported by Npgsql's own meter ("Npgsql", db.client.connection.count), not counted twice here.
        _telemetry = new StoreTelemetry(Diagnostics.EventualiAttributes.SystemPostgreSql, settings.MetricsName, options);
        _committer.Telemetry = _telemetry;
        _telemetry.TrackWatermark(this);
        _replicas = settings.Replicas.Count == 0 ? null : new PgReplicas(settings.Replicas, dataSource, sql);
    }

    /// <inheritdoc />
    public EventStoreOptions Options { get; }

    /// <summary>The schema this store lives in.</summary>
    public string Schema => _settings.Schema;

    /// <summary>The NOTIFY channel appends signal on (see <see cref="ListenForAppendsAsync"/>).</summary>
    public string NotificationChannel => _settings.Channel;

    /// <summary>
    /// Opens a store from <c>postgresql://user:password@host:port/database?schema=name</c> (or <c>postgres://</c>)
    /// or an Npgsql connection string with an optional <c>Schema=name</c> keyword. Creates the schema when missing.
    /// </summary>
    public static async ValueTask<IEventStore> OpenAsync(string urlOrConnectionString, EventStoreOptions options, CancellationToken cancellationToken = default)
        => await OpenStoreAsync(urlOrConnectionString, options, cancellationToken).ConfigureAwait(false);

    /// <summary>As <see cref="OpenAsync"/>, typed, for PostgreSQL-specific members.</summary>
    public static ValueTask<PostgreSqlEventStore> OpenStoreAsync(string urlOrConnectionString, EventStoreOptions options, CancellationToken cancellationToken = default)
        => OpenStoreAsync(urlOrConnectionString, options, PgMigrations.Catalog, cancellationToken);

    /// <summary>As the public overload, with the migrations to check against (tests add their own).</summary>
    internal static async ValueTask<PostgreSqlEventStore> OpenStoreAsync(string urlOrConnectionString, EventStoreOptions options, MigrationCatalog catalog, CancellationToken cancellationToken)
    {
        var settings = PgSettings.Parse(urlOrConnectionString, options);
        var sql = new SqlText(settings);
        var dataSource = NpgsqlDataSource.Create(settings.Builder);
        try
        {
            await SchemaInstaller.InstallAsync(dataSource, settings, sql, catalog, options, cancellationToken).ConfigureAwait(false);
            if (settings.BehindPooler)
            {
                await PgPooler.EnsureStrictDurabilityAsync(dataSource, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            if (PgErrors.Map(ex, settings) is { } mapped)
            {
                throw mapped;
            }

            throw;
        }

        return new PostgreSqlEventStore(dataSource, settings, sql, options);
    }

    /// <summary>
    /// A store on <paramref name="dataSource"/>, which it shares and does not dispose (a tenant's store: tables are
    /// schema-qualified, so one pool serves every tenant's schema). Creates or checks the schema first.
    /// </summary>
    internal static async ValueTask<PostgreSqlEventStore> OpenSharedAsync(NpgsqlDataSource dataSource, PgSettings settings, EventStoreOptions options, CancellationToken cancellationToken)
    {
        var sql = new SqlText(settings);
        try
        {
            await SchemaInstaller.InstallAsync(dataSource, settings, sql, PgMigrations.Catalog, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PgErrors.Map(ex, settings) is { } mapped)
        {
            throw mapped;
        }

        return new PostgreSqlEventStore(dataSource, settings, sql, options, ownsDataSource: false);
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        => StoreTelemetry.IsAppendObserved
            ? _telemetry.AppendAsync(streamId, expectedVersion, events, AppendCoreAsync, cancellationToken)
            : AppendCoreAsync(streamId, expectedVersion, events, cancellationToken);

    private async ValueTask<AppendResult> AppendCoreAsync(string streamId, ExpectedVersion expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        AppendValidation.Validate(streamId, events);
        if (events.Count > PendingAppend.MaxEventsPerTransaction)
        {
            throw new ArgumentException(
                $"Append to stream '{streamId}' has {events.Count} events; PostgreSQL appends take at most {PendingAppend.MaxEventsPerTransaction} events each.", nameof(events));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend(streamId, expectedVersion, events, AppendValidation.Stamp(Options.TimeProvider));
        AppendResult result;
        try
        {
            result = _inline is null
                ? await _committer.AppendAsync(pending, cancellationToken).ConfigureAwait(false)
                : await AppendInlineAsync(pending, events, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyException) when (_replicas is not null)
        {
            // The stream moved on the primary: a reload must not come from a replica that has not seen that yet.
            await ReplicaBarrierAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }

        _visibility.Acknowledged(result.LastPosition);
        _replicas?.Observe(result.LastPosition);
        return result;
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
        var forward = direction == ReadDirection.Forward;
        var version = forward ? Math.Max(fromVersion, 1) : fromVersion;
        var remaining = maxCount;
        var page = new List<EventRow>(Math.Min(maxCount, 64)); // grows as needed: most streams are short
        while (remaining > 0 && version >= 1)
        {
            var limit = Math.Min(remaining, Options.ReadPageSize);
            page.Clear();
            var from = version;
            await FetchStreamPageAsync(_sql[(archived ? "archived" : "read_stream") + (forward ? "_forward" : "_backward")], page, !archived, () =>
            [
                new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<long> { TypedValue = from, NpgsqlDbType = NpgsqlDbType.Bigint },
                new NpgsqlParameter<int> { TypedValue = limit, NpgsqlDbType = NpgsqlDbType.Integer },
            ], cancellationToken).ConfigureAwait(false);
            _settings.Meter?.CountReads(page.Count);
            foreach (var row in page)
            {
                yield return row.ToRecorded(streamId);
            }

            if (page.Count < limit)
            {
                yield break;
            }

            remaining -= page.Count;
            version = page[^1].Version + (forward ? 1 : -1);
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
        await _visibility.WaitForOwnWritesAsync(Math.Max(fromPosition, 1), HeadAsync, cancellationToken).ConfigureAwait(false);
        var query = new LogQuery(_sql, filter, Options.ReadPageSize);
        var remaining = maxCount;
        var position = Math.Max(fromPosition, 1);

        // Two page buffers in turn: one being read by the caller, one being fetched.
        var buffers = new[] { new List<EventRow>(), new List<EventRow>() };
        var turn = 0;
        Task<List<EventRow>>? next = remaining > 0 ? FetchDurableLogPageAsync(query, buffers[turn++ & 1], position, Math.Min(remaining, query.PageSize), cancellationToken) : null;
        try
        {
            while (next is not null)
            {
                var page = await next.ConfigureAwait(false);
                next = null;
                var limit = Math.Min(remaining, query.PageSize);
                remaining -= page.Count;
                _settings.Meter?.CountReads(page.Count);
                if (page.Count == limit && remaining > 0)
                {
                    // Fetch the next page while this one is consumed: the server works while the caller does.
                    next = FetchDurableLogPageAsync(query, buffers[turn++ & 1], page[^1].Position + 1, Math.Min(remaining, query.PageSize), cancellationToken);
                }

                foreach (var row in page)
                {
                    _names.TryGet(row.StreamId, out var name);
                    yield return row.ToRecorded(name);
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // The caller stopped early: let the prefetch finish (its connection returns to the pool), ignore its result.
                await next.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<long?> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId);
        var name = new NpgsqlParameter<string> { TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text };
        if (_replicas is not null)
        {
            return await StreamVersionSeenAsync(name, cancellationToken).ConfigureAwait(false);
        }

        var found = await ScalarAsync(_sql["stream_version"], cancellationToken, name).ConfigureAwait(false);
        return found is long v ? v : null;
    }

    /// <inheritdoc />
    public async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await _visibility.WaitForOwnWritesAsync(1, HeadAsync, cancellationToken).ConfigureAwait(false);
        var head = await HeadAsync(cancellationToken).ConfigureAwait(false);

        // A filtered reader takes the head as how far it has looked: it must not pass a commit that is not durable.
        await EnsureDurableAsync(head, cancellationToken).ConfigureAwait(false);
        return head;
    }

    private async ValueTask<long> HeadAsync(CancellationToken cancellationToken)
        => (long)(await ScalarAsync(_sql["head_position"], cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// Yields 0 once listening has started, then one value per committed append transaction of this store
    /// (anywhere in the cluster): the last position it wrote, or 0 when it wrote nothing. A wake-up signal
    /// only: read the log from your checkpoint after each one (positions appear to readers in order).
    /// </summary>
    public async IAsyncEnumerable<long> ListenForAppendsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var signals = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var conn = await OpenSessionConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            conn.Notification += (_, e) => signals.Writer.TryWrite(long.TryParse(e.Payload, out var p) ? p : 0);
            await ExecuteAsync(conn, _sql["listen"], cancellationToken).ConfigureAwait(false);
            try
            {
                yield return 0;
                while (true)
                {
                    while (signals.Reader.TryRead(out var position))
                    {
                        yield return position;
                    }

                    await WaitAsync(conn, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (conn.State == System.Data.ConnectionState.Open)
                {
                    await ExecuteAsync(conn, _sql["unlisten"], CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _telemetry.Dispose();
        await StopListenerAsync().ConfigureAwait(false);
        await _committer.DisposeAsync().ConfigureAwait(false);
        await FlushReadsAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        if (_replicas is not null)
        {
            await _replicas.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var connections in _leaseConnections.Values)
        {
            connections.Dispose();
        }
    }
}
