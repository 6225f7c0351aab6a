using System.Collections.Concurrent;
using Eventuali.Conformance;
using Eventuali.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>Every conformance test on a real SQLite file (default options: Durability.Full), one temp directory per store.</summary>
public sealed class SqliteFileFixture : IStoreFixture, IAsyncDisposable
{
    private readonly ConcurrentDictionary<IEventStore, TempSqliteStore> _files = new();

    public string BackendName => "sqlite";

    public bool Persists => true;

    public bool PositionsAreContiguous => true;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var file = new TempSqliteStore();
        var store = await SqliteEventStore.OpenAsync(file.FilePath, options ?? EventStoreOptions.Default, cancellationToken);
        _files[store] = file;
        return store;
    }

    /// <summary>The file behind a store this fixture made, for tests that open it through a connection of their own.</summary>
    public string FilePathOf(IEventStore store) => _files[store].FilePath;

    public async ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_files.TryRemove(store, out var file))
        {
            throw new ArgumentException("The store was not created by this fixture.", nameof(store));
        }

        var options = store.Options;
        await store.DisposeAsync();
        var reopened = await SqliteEventStore.OpenAsync(file.FilePath, options, cancellationToken);
        _files[reopened] = file;
        return reopened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, file) in _files)
        {
            await store.DisposeAsync();
            await file.DisposeAsync();
        }
    }
}

/// <summary>The same suite on <c>sqlite://:memory:</c>: one private connection shared by reads and writes.</summary>
public sealed class SqliteMemoryFixture : IStoreFixture
{
    public string BackendName => "sqlite :memory:";

    public bool Persists => false;

    public bool PositionsAreContiguous => true;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => SqliteEventStore.OpenAsync(":memory:", options ?? EventStoreOptions.Default, cancellationToken);

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("An in-memory SQLite store does not persist; Persists is false.");
}

public sealed class SqliteAppend(SqliteFileFixture f) : AppendConformance<SqliteFileFixture>(f);

public sealed class SqliteIdempotency(SqliteFileFixture f) : IdempotencyConformance<SqliteFileFixture>(f);

public sealed class SqliteStreamRead(SqliteFileFixture f) : StreamReadConformance<SqliteFileFixture>(f);

public sealed class SqliteGlobalLog(SqliteFileFixture f) : GlobalLogConformance<SqliteFileFixture>(f);

public sealed class SqliteConcurrency(SqliteFileFixture f) : ConcurrencyConformance<SqliteFileFixture>(f);

public sealed class SqliteMetadata(SqliteFileFixture f) : MetadataConformance<SqliteFileFixture>(f);

public sealed class SqlitePayload(SqliteFileFixture f) : PayloadConformance<SqliteFileFixture>(f);

public sealed class SqliteEdgeInput(SqliteFileFixture f) : EdgeInputConformance<SqliteFileFixture>(f);

public sealed class SqliteStreamId(SqliteFileFixture f) : StreamIdConformance<SqliteFileFixture>(f);

public sealed class SqliteTypedAggregate(SqliteFileFixture f) : TypedAggregateConformance<SqliteFileFixture>(f);

public sealed class SqlitePersistence(SqliteFileFixture f) : PersistenceConformance<SqliteFileFixture>(f);

public sealed class SqliteMemoryAppend(SqliteMemoryFixture f) : AppendConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryIdempotency(SqliteMemoryFixture f) : IdempotencyConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryStreamRead(SqliteMemoryFixture f) : StreamReadConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryGlobalLog(SqliteMemoryFixture f) : GlobalLogConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryConcurrency(SqliteMemoryFixture f) : ConcurrencyConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryPayload(SqliteMemoryFixture f) : PayloadConformance<SqliteMemoryFixture>(f);

public sealed class SqliteMemoryEdgeInput(SqliteMemoryFixture f) : EdgeInputConformance<SqliteMemoryFixture>(f);
