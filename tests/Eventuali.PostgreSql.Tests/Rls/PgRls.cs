using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>
/// A throwaway shared-table (tenancy=rls) deployment on the test server: a fresh owner role (allowed to create schemas)
/// and a fresh login application role (NOSUPERUSER NOBYPASSRLS), both with passwords, and a fresh schema; all dropped
/// on dispose. Roles are made by the server's admin role (EVENTUALI_TEST_POSTGRES_ADMIN, else the test URL's with the
/// user eventuali_admin, a superuser scripts/postgres.sh creates), which only creates and drops them.
/// </summary>
internal sealed class PgRls : IAsyncDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    public string Schema => "rl" + _suffix;

    public string OwnerRole => "ev_own_" + _suffix;

    public string AppRole => "ev_app_" + _suffix;

    private string Password => "pw" + _suffix;

    public static async Task<PgRls> CreateAsync()
    {
        var rls = new PgRls();
        await using var ds = await AdminAsync();
        var database = PgUrl.Parse(await PgTestServer.UrlAsync()).Builder.Database;
        // Identifiers and the password are test-made hex: role DDL takes no parameters.
        await ExecAsync(ds, $"CREATE ROLE {rls.OwnerRole} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{rls.Password}'");
        await ExecAsync(ds, $"CREATE ROLE {rls.AppRole} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{rls.Password}'");
        await ExecAsync(ds, $"GRANT CREATE ON DATABASE \"{database}\" TO {rls.OwnerRole}");
        return rls;
    }

    /// <summary>The application role's URL with <c>tenancy=rls</c> and this deployment's schema (plus <paramref name="extra"/>).</summary>
    public async Task<string> AppUrlAsync(string? extra = null) => As(await PgTestServer.UrlAsync(), AppRole) + (extra is null ? string.Empty : "&" + extra);

    public async Task<string> OwnerUrlAsync() => As(await PgTestServer.UrlAsync(), OwnerRole);

    /// <summary>The server URL as another role with this deployment's schema and tenancy=rls.</summary>
    public string As(string serverUrl, string role)
    {
        var at = serverUrl.IndexOf('@', StringComparison.Ordinal);
        var scheme = serverUrl.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = serverUrl[(at + 1)..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        rest = query < 0 ? rest : rest[..query];
        return $"{serverUrl[..scheme]}{role}:{Password}@{rest}?schema={Schema}&tenancy=rls";
    }

    public async Task<PostgreSqlRlsTenantStoreFactory> OpenAsync(string? extra = null, bool owner = true, EventStoreOptions? options = null)
        => await PostgreSqlRlsTenantStoreFactory.OpenAsync(await AppUrlAsync(extra), owner ? await OwnerUrlAsync() : null, options ?? EventStoreOptions.Default, create: owner, TestContext.Current.CancellationToken);

    /// <summary>A raw connection as the application role, for attacks.</summary>
    public async Task<NpgsqlDataSource> AppRawAsync()
        => NpgsqlDataSource.Create(PgUrl.Parse(As(await PgTestServer.UrlAsync(), AppRole).Replace("&tenancy=rls", string.Empty, StringComparison.Ordinal)).Builder.ConnectionString);

    /// <summary>The admin (superuser) URL of the test server.</summary>
    public static async Task<string> AdminUrlAsync()
    {
        if (Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES_ADMIN") is { Length: > 0 } admin)
        {
            return admin;
        }

        var url = await PgTestServer.UrlAsync();
        var scheme = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var colon = url.IndexOfAny([':', '@'], scheme);
        return url[..scheme] + "eventuali_admin" + url[colon..];
    }

    public static async Task<NpgsqlDataSource> AdminAsync() => NpgsqlDataSource.Create(PgUrl.Parse(await AdminUrlAsync()).Builder.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        await using var ds = await AdminAsync();
        await ExecAsync(ds, $"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        foreach (var role in new[] { AppRole, OwnerRole })
        {
            await ExecAsync(ds, $"DROP OWNED BY {role} CASCADE");
            await ExecAsync(ds, $"DROP ROLE IF EXISTS {role}");
        }
    }

    public static async Task ExecAsync(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public static EventData Event(string type, int n) => Eventuali.PostgreSql.Tests.Tenancy.PgTenants.Event(type, n);

    public static TenantId Tenant(string id) => TenantId.Parse(id);
}
