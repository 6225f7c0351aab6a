using System.Collections.Concurrent;
using System.Runtime.Versioning;
using Eventuali.Conformance.Security;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>PostgreSQL schemas tampered with through a raw Npgsql connection, as a DBA could.</summary>
public sealed class PgChainFixture : IChainTampering, IAsyncDisposable
{
    private readonly ConcurrentDictionary<IEventStore, string> _schemas = new();
    private readonly List<string> _all = [];

    public string BackendName => "postgresql";

    public bool Persists => false;

    public bool PositionsAreContiguous => false;

    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var schema = PgTestServer.NewSchemaName("chain");
        lock (_all)
        {
            _all.Add(schema);
        }

        var store = await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(await PgTestServer.UrlAsync(), schema), options ?? EventStoreOptions.Default, cancellationToken);
        _schemas[store] = schema;
        return store;
    }

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("Chain tests do not reopen stores.");

    public ValueTask EditEventAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("UPDATE {0}.events SET data_json = '{{\"tampered\": true}}'::jsonb WHERE position = $1", position, 0));

    public ValueTask DeleteEventAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("DELETE FROM {0}.events WHERE position = $1", position, 0));

    public ValueTask SwapEventsAsync(IEventStore store, long a, long b, CancellationToken cancellationToken)
        => ExecAsync(
            store,
            cancellationToken,
            ("UPDATE {0}.events SET position = -1 WHERE position = $1", a, 0),
            ("UPDATE {0}.events SET position = $1 WHERE position = $2", a, b),
            ("UPDATE {0}.events SET position = $2 WHERE position = -1", 0, b));

    public ValueTask DeleteChainEntriesFromAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("DELETE FROM {0}.event_chain WHERE position >= $1", position, 0));

    public ValueTask DeleteChainEntryAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(store, cancellationToken, ("DELETE FROM {0}.event_chain WHERE position = $1", position, 0));

    public ValueTask TruncateFromAsync(IEventStore store, long position, CancellationToken cancellationToken)
        => ExecAsync(
            store,
            cancellationToken,
            ("DELETE FROM {0}.events WHERE position >= $1", position, 0),
            ("DELETE FROM {0}.event_chain WHERE position >= $1", position, 0),
            ("DELETE FROM {0}.chain_checkpoints WHERE position >= $1", position, 0));

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _schemas.Keys)
        {
            await store.DisposeAsync();
        }

        foreach (var schema in _all)
        {
            await PgTestServer.DropSchemaAsync(schema);
        }
    }

    private async ValueTask ExecAsync(IEventStore store, CancellationToken cancellationToken, params (string Sql, long A, long B)[] statements)
    {
        var schema = "\"" + _schemas[store] + "\"";
        await using var ds = await PgTestServer.RawAsync();
        await using var connection = await ds.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (sql, a, b) in statements)
        {
            await using var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, schema), connection, tx);
            command.Parameters.AddWithValue(a);
            if (sql.Contains("$2", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(b);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }
}

[UnsupportedOSPlatform("windows")]
public sealed class PgEventChain(PgChainFixture f) : EventChainConformance<PgChainFixture>(f);
