using Eventuali.Conformance.Security;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite.Tests;

/// <summary>SQLite files whose audit log is tampered with through a raw connection, the append-only triggers dropped first.</summary>
public sealed class SqliteAuditFixture : IAuditTampering, IAsyncDisposable
{
    private readonly SqliteFileFixture _files = new();

    public string BackendName => _files.BackendName;

    public bool Persists => false;

    public bool PositionsAreContiguous => _files.PositionsAreContiguous;

    public ValueTask<IEventStore> CreateStoreAsync(EventStoreOptions? options = null, CancellationToken cancellationToken = default)
        => _files.CreateStoreAsync(options, cancellationToken);

    public ValueTask<IEventStore> ReopenAsync(IEventStore store, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("Audit tests do not reopen stores.");

    public async ValueTask EditAuditActorAsync(IEventStore store, long position, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(store, cancellationToken);
        await ExecAsync(connection, "DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET actor = $v WHERE position = $a", position, 0, actor, cancellationToken);
    }

    public async ValueTask DeleteAuditEntriesAsync(IEventStore store, long from, long to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(store, cancellationToken);
        await ExecAsync(connection, "DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE position BETWEEN $a AND $b", from, to, "", cancellationToken);
    }

    public async ValueTask<IReadOnlyList<string>> DumpAuditRowsAsync(IEventStore store, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(store, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM audit_log ORDER BY position";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var cells = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells.Add(reader.GetValue(i) switch { byte[] b => Convert.ToHexStringLower(b), var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "" });
            }

            rows.Add(string.Join('|', cells));
        }

        return rows;
    }

    public async ValueTask<IEventStore> OpenSecondAsync(IEventStore store, CancellationToken cancellationToken)
        => await SqliteEventStore.OpenAsync(_files.FilePathOf(store), store.Options, cancellationToken);

    public ValueTask DisposeAsync() => _files.DisposeAsync();

    private async Task<SqliteConnection> OpenAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _files.FilePathOf(store), Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, long a, long b, string v, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        command.Parameters.AddWithValue("$v", v);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class SqliteAudit(SqliteAuditFixture f) : AuditConformance<SqliteAuditFixture>(f);
