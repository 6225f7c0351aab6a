using System.Globalization;
using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// The tenant registry of a file-per-tenant directory: <c>tenants.db</c> in the directory, one row per tenant and
/// an append-only audit trail. One connection, used under a lock; other processes share the file through SQLite's
/// own locking, so a tenant suspended by one process is refused by the next open in another.
/// </summary>
internal sealed partial class SqliteTenantRegistry : IDisposable
{
    public const string FileName = "tenants.db";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sql = new(() => SqlFile.Load("tenancy.sql"));

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _clock;
    private SqliteTransaction? _transaction;

    private SqliteTenantRegistry(SqliteConnection connection, TimeProvider clock)
    {
        _connection = connection;
        _clock = clock;
    }

    public static SqliteTenantRegistry Open(string directory, bool create, TimeProvider clock)
    {
        var location = new SqliteLocation(Path.Combine(directory, FileName), Durability.Full);
        if (!create && !File.Exists(location.FilePath))
        {
            throw new EventStoreConfigurationException($"No such store: the directory '{directory}' has no tenant registry ({FileName}). Check the path; 'eventuali tenants create' creates one.");
        }

        var connection = SqliteConnections.Open(location, create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite);
        try
        {
            SqliteConnections.Pragma(connection, location, "journal_mode = WAL");
            SqliteConnections.Pragma(connection, location, "synchronous = FULL");
            var registry = new SqliteTenantRegistry(connection, clock);
            registry.Execute("schema", static _ => { });
            registry.Migrate();
            return registry;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public TenantInfo? Find(TenantId tenant)
    {
        lock (_gate)
        {
            return Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).SingleOrDefault()?.Info;
        }
    }

    public (TenantInfo Info, string? Token)? FindWithToken(TenantId tenant)
    {
        lock (_gate)
        {
            return Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).Select(r => ((TenantInfo, string?)?)(r.Info, r.Token)).SingleOrDefault();
        }
    }

    public IReadOnlyList<TenantInfo> List()
    {
        lock (_gate)
        {
            return [.. Query("list", static _ => { }).Select(r => r.Info)];
        }
    }

    /// <summary>Registers the tenant when new (with an audit line in the same transaction); returns it either way.</summary>
    public TenantInfo Create(TenantId tenant)
    {
        lock (_gate)
        {
            InTransaction(() =>
            {
                var now = _clock.GetUtcNow();
                var rows = Execute("insert", c => { c.Parameters.AddWithValue("$id", tenant.Value); c.Parameters.AddWithValue("$at", Format(now)); });
                if (rows > 0)
                {
                    Audit(tenant, "created", now);
                }

                return rows > 0;
            });
            return Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).Single().Info;
        }
    }

    public void SetSuspended(TenantId tenant, bool suspended)
    {
        lock (_gate)
        {
            InTransaction(() =>
            {
                var before = Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).SingleOrDefault() ?? throw new UnknownTenantException(tenant);
                Execute("set_suspended", c => { c.Parameters.AddWithValue("$id", tenant.Value); c.Parameters.AddWithValue("$suspended", suspended ? 1 : 0); });
                Audit(tenant, !suspended && before.Token is not null ? "deletion-cancelled" : suspended ? "suspended" : "resumed", _clock.GetUtcNow());
                return true;
            });
        }
    }

    public string RequestDeletion(TenantId tenant)
    {
        lock (_gate)
        {
            return InTransaction(() =>
            {
                var before = Query("get", c => c.Parameters.AddWithValue("$id", tenant.Value)).SingleOrDefault() ?? throw new UnknownTenantException(tenant);
                if (before.Token is { } existing)
                {
                    return existing;
                }

                var token = TenantDeletion.NewToken();
                Execute("request_deletion", c => { c.Parameters.AddWithValue("$id", tenant.Value); c.Parameters.AddWithValue("$token", token); });
                Audit(tenant, "deletion-requested", _clock.GetUtcNow());
                return token;
            });
        }
    }

    /// <summary>Removes the tenant's row and records the purge, in one transaction (after its files are gone).</summary>
    public void Remove(TenantId tenant)
    {
        lock (_gate)
        {
            InTransaction(() =>
            {
                Execute("delete", c => c.Parameters.AddWithValue("$id", tenant.Value));
                Audit(tenant, "purged", _clock.GetUtcNow());
                return true;
            });
        }
    }

    public IReadOnlyList<TenantAuditRecord> ReadAudit()
    {
        lock (_gate)
        {
            using var command = Command("read_audit");
            using var reader = command.ExecuteReader();
            var records = new List<TenantAuditRecord>();
            while (reader.Read())
            {
                records.Add(new TenantAuditRecord(Parse(reader.GetString(0)), TenantId.Parse(reader.GetString(1)), reader.GetString(2)));
            }

            return records;
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Audit(TenantId tenant, string action, DateTimeOffset at)
        => Execute("audit", c => { c.Parameters.AddWithValue("$at", Format(at)); c.Parameters.AddWithValue("$tenant", tenant.Value); c.Parameters.AddWithValue("$action", action); });

    // BEGIN IMMEDIATE: a read-then-write (request deletion) must not race another process doing the same.
    private T InTransaction<T>(Func<T> work)
    {
        using var transaction = _transaction = _connection.BeginTransaction(deferred: false);
        try
        {
            var result = work();
            transaction.Commit();
            return result;
        }
        finally
        {
            _transaction = null;
        }
    }

    private int Execute(string name, Action<SqliteCommand> bind)
    {
        using var command = Command(name);
        bind(command);
        return command.ExecuteNonQuery();
    }

    private List<Row> Query(string name, Action<SqliteCommand> bind)
    {
        using var command = Command(name);
        bind(command);
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            var token = reader.IsDBNull(3) ? null : reader.GetString(3);
            rows.Add(new Row(new TenantInfo(TenantId.Parse(reader.GetString(0)), reader.GetInt64(2) != 0, Parse(reader.GetString(1)), token is not null), token));
        }

        return rows;
    }

    private SqliteCommand Command(string name)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = Sql.Value[name];
        return command;
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed record Row(TenantInfo Info, string? Token);
}
