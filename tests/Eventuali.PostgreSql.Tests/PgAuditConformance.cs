using System.Collections.Concurrent;
using System.Globalization;
using Eventuali.Conformance.Security;
using Npgsql;

namespace Eventuali.PostgreSql.Tests;

/// <summary>PostgreSQL schemas whose audit log is tampered with through a raw connection, the append-only trigger disabled first, as a DBA could.</summary>
public sealed class PgAuditFixture : IAuditTampering, IAsyncDisposable
{
    private readonly ConcurrentDictionary<IEventStore, string> _schemas = new();
    private readonly ConcurrentBag<string> _all = [];

    public string BackendName => "postgresql";

    public bool Persists => false;

    public bool PositionsAreContiguous => false;

    public bool StoresJsonWithNulCharacters => false;

    public async ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var schema = PgTestServer.NewSchemaName("audit");
        _all.Add(schema);
        var store = await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(await PgTestServer.UrlAsync(), schema), options ?? EventStoreOptions.Default, cancellationToken);
        _schemas[store] = schema;
        return store;
    }

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("Audit tests do not reopen stores.");

    public ValueTask EditAuditActorAsync(IEventStore store, long position, string actor, CancellationToken cancellationToken)
        => ExecAsync(store, "UPDATE {0}.audit_log SET actor = $3 WHERE position = $1 AND $2 = $2", position, 0, actor, cancellationToken);

    public ValueTask DeleteAuditEntriesAsync(IEventStore store, long from, long to, CancellationToken cancellationToken)
        => ExecAsync(store, "DELETE FROM {0}.audit_log WHERE position BETWEEN $1 AND $2 AND $3 = $3", from, to, "", cancellationToken);

    public async ValueTask<IReadOnlyList<string>> DumpAuditRowsAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await using var ds = await PgTestServer.RawAsync();
        await using var connection = await ds.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, "SELECT a::text FROM {0}.audit_log a ORDER BY a.position", Quoted(store)), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public async ValueTask<IEventStore> OpenSecondAsync(IEventStore store, CancellationToken cancellationToken)
        => await PostgreSqlEventStore.OpenAsync(PgTestServer.WithSchema(await PgTestServer.UrlAsync(), _schemas[store]), store.Options, cancellationToken);

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

    private string Quoted(IEventStore store) => "\"" + _schemas[store] + "\"";

    private async ValueTask ExecAsync(IEventStore store, string sql, long a, long b, string v, CancellationToken cancellationToken)
    {
        var schema = Quoted(store);
        await using var ds = await PgTestServer.RawAsync();
        await using var connection = await ds.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var disable = new NpgsqlCommand($"ALTER TABLE {schema}.audit_log DISABLE TRIGGER audit_log_append_only", connection, tx))
        {
            await disable.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, sql, schema), connection, tx);
        command.Parameters.AddWithValue(a);
        command.Parameters.AddWithValue(b);
        command.Parameters.AddWithValue(v);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }
}

public sealed class PgAudit(PgAuditFixture f) : AuditConformance<PgAuditFixture>(f);
