using System.Runtime.Versioning;
using Eventuali.Conformance.Security;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>SQLite files tampered with through a raw connection of their own, as anyone holding the file could.</summary>
public sealed class SqliteChainFixture : IChainTampering, IAsyncDisposable
{
    // The stores are the file fixture's; this one adds the tampering.
    private readonly SqliteFileFixture _files = new();

    public string BackendName => _files.BackendName;

    public bool Persists => false;

    public bool PositionsAreContiguous => _files.PositionsAreContiguous;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => _files.CreateStoreAsync(options, cancellationToken);

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("Chain tests do not reopen stores.");

    public ValueTask EditEventAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("UPDATE events SET data = '{\"tampered\":true}' WHERE position = $a", position, 0));

    public ValueTask DeleteEventAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("DELETE FROM events WHERE position = $a", position, 0));

    public ValueTask SwapEventsAsync(IEventStore store, long a, long b, CancellationToken cancellationToken)
        => ExecAsync(
            store,
            cancellationToken,
            ("UPDATE events SET position = -1 WHERE position = $a", a, 0),
            ("UPDATE events SET position = $a WHERE position = $b", a, b),
            ("UPDATE events SET position = $b WHERE position = -1", 0, b));

    public ValueTask DeleteChainEntriesFromAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("DELETE FROM event_chain WHERE position >= $a", position, 0));

    public ValueTask DeleteChainEntryAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("DELETE FROM event_chain WHERE position = $a", position, 0));

    public ValueTask TruncateFromAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(
            store,
            cancellationToken,
            ("DELETE FROM events WHERE position >= $a", position, 0),
            ("DELETE FROM event_chain WHERE position >= $a", position, 0),
            ("DELETE FROM chain_checkpoints WHERE position >= $a", position, 0));

    public ValueTask DisposeAsync() => _files.DisposeAsync();

    private async ValueTask ExecAsync(IEventStore store, CancellationToken cancellationToken, params (string Sql, long A, long B)[] statements)
    {
        var path = _files.FilePathOf(store);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (sql, a, b) in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$a", a);
            command.Parameters.AddWithValue("$b", b);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }
}

/// <summary>Through the row read made for verification (<see cref="Integrity.IEventChainRowReader"/>), which SQLite offers.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteEventChain(SqliteChainFixture f) : EventChainConformance<SqliteChainFixture>(f)
{
    [Fact]
    public async Task The_store_offers_the_row_read_made_for_verification()
    {
        await using var store = await NewStoreAsync();
        Assert.NotNull(store.GetFeature<Integrity.IEventChainRowReader>());
    }
}

/// <summary>The same checks through the ordinary global-log read.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteEventChainThroughGlobalLog(SqliteChainFixture f) : EventChainConformance<SqliteChainFixture>(f)
{
    protected override bool UseRowReader => false;
}
