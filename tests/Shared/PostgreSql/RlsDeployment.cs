using Npgsql;

namespace Eventuali.PostgreSql.Testing;

/// <summary>
/// A throwaway shared-table (tenancy=rls) deployment on a test server: a fresh owner role (allowed to create schemas),
/// a fresh login application role (NOSUPERUSER NOBYPASSRLS), both with passwords, and a fresh schema name; the schema
/// and both roles are dropped on dispose. The roles are made by the server's admin role (EVENTUALI_TEST_POSTGRES_ADMIN,
/// else the server URL's with the user eventuali_admin, a superuser scripts/postgres.sh creates), which only creates
/// and drops them.
/// </summary>
internal sealed class RlsDeployment : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private RlsDeployment(string server, string schemaPrefix) => (_server, Schema) = (server, schemaPrefix + _suffix);

    public string Schema { get; }

    public string OwnerRole => "ev_own_" + _suffix;

    public string AppRole => "ev_app_" + _suffix;

    /// <summary>The application role's URL with this deployment's schema and tenancy=rls.</summary>
    public string AppUrl => As(AppRole);

    /// <summary>The owner role's URL with this deployment's schema and tenancy=rls.</summary>
    public string OwnerUrl => As(OwnerRole);

    private string Password => "pw" + _suffix;

    /// <summary>Makes the two roles on the server at <paramref name="serverUrl"/>; the schema is made by the first open with the owner.</summary>
    public static async Task<RlsDeployment> CreateAsync(string serverUrl, string schemaPrefix = "rl")
    {
        var deployment = new RlsDeployment(serverUrl, schemaPrefix);
        await using var admin = Admin(serverUrl);
        var database = PgUrl.Parse(serverUrl).Builder.Database;

        // Identifiers and the password are test-made hex: role DDL takes no parameters.
        await ExecAsync(admin, $"CREATE ROLE {deployment.OwnerRole} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{deployment.Password}'");
        await ExecAsync(admin, $"CREATE ROLE {deployment.AppRole} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{deployment.Password}'");
        await ExecAsync(admin, $"GRANT CREATE ON DATABASE \"{database}\" TO {deployment.OwnerRole}");
        return deployment;
    }

    /// <summary>The server URL as <paramref name="role"/>, with this deployment's schema and tenancy=rls.</summary>
    public string As(string role)
    {
        var at = _server.IndexOf('@', StringComparison.Ordinal);
        var scheme = _server.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = _server[(at + 1)..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        rest = query < 0 ? rest : rest[..query];
        return $"{_server[..scheme]}{role}:{Password}@{rest}?schema={Schema}&tenancy=rls";
    }

    /// <summary>The admin (superuser) URL of the server at <paramref name="serverUrl"/>.</summary>
    public static string AdminUrl(string serverUrl)
    {
        if (Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES_ADMIN") is { Length: > 0 } admin)
        {
            return admin;
        }

        var scheme = serverUrl.IndexOf("://", StringComparison.Ordinal) + 3;
        var colon = serverUrl.IndexOfAny([':', '@'], scheme);
        return serverUrl[..scheme] + "eventuali_admin" + serverUrl[colon..];
    }

    public static NpgsqlDataSource Admin(string serverUrl) => NpgsqlDataSource.Create(PgUrl.Parse(AdminUrl(serverUrl)).Builder.ConnectionString);

    /// <summary>
    /// What the deployment's tables hold of <paramref name="tenant"/>, counted as the admin role (which row-level
    /// security does not hold): events, their payload bytes as <paramref name="bytesOfRow"/> computes them from a row of
    /// events, and streams.
    /// </summary>
    public async Task<(long Events, long Bytes, long Streams)> CountAsync(string tenant, string bytesOfRow, CancellationToken cancellationToken = default)
    {
        await using var admin = Admin(_server);
        await using var cmd = admin.CreateCommand(
            $"SELECT (SELECT count(*) FROM \"{Schema}\".events WHERE tenant_id = $1), " +
            $"(SELECT coalesce(sum({bytesOfRow}), 0)::bigint FROM \"{Schema}\".events WHERE tenant_id = $1), " +
            $"(SELECT count(*) FROM \"{Schema}\".streams WHERE tenant_id = $1)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async ValueTask DisposeAsync()
    {
        await using var admin = Admin(_server);
        await ExecAsync(admin, $"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        foreach (var role in new[] { AppRole, OwnerRole })
        {
            await ExecAsync(admin, $"DROP OWNED BY {role} CASCADE");
            await ExecAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    public static async Task ExecAsync(NpgsqlDataSource source, string sql)
    {
        await using var cmd = source.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
