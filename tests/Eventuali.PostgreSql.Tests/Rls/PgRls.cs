using Eventuali.PostgreSql.Testing;
using Npgsql;

namespace Eventuali.PostgreSql.Tests.Rls;

/// <summary>
/// A throwaway shared-table (tenancy=rls) deployment on the test server (<see cref="RlsDeployment"/>: fresh owner and
/// application roles and a fresh schema, all dropped on dispose), with the factories and raw connections tests use.
/// </summary>
internal sealed class PgRls : IAsyncDisposable
{
    private readonly RlsDeployment _deployment;

    private PgRls(RlsDeployment deployment) => _deployment = deployment;

    public string Schema => _deployment.Schema;

    public string OwnerRole => _deployment.OwnerRole;

    public string AppRole => _deployment.AppRole;

    public static async Task<PgRls> CreateAsync() => new(await RlsDeployment.CreateAsync(await PgTestServer.UrlAsync()));

    /// <summary>The application role's URL with <c>tenancy=rls</c> and this deployment's schema (plus <paramref name="extra"/>).</summary>
    public Task<string> AppUrlAsync(string? extra = null) => Task.FromResult(_deployment.AppUrl + (extra is null ? string.Empty : "&" + extra));

    public Task<string> OwnerUrlAsync() => Task.FromResult(_deployment.OwnerUrl);

    public async Task<PostgreSqlRlsTenantStoreFactory> OpenAsync(string? extra = null, bool owner = true, EventStoreOptions? options = null)
        => await PostgreSqlRlsTenantStoreFactory.OpenAsync(await AppUrlAsync(extra), owner ? await OwnerUrlAsync() : null, options ?? EventStoreOptions.Default, create: owner, TestContext.Current.CancellationToken);

    /// <summary>A raw connection as the application role, for attacks.</summary>
    public NpgsqlDataSource AppRaw()
        => NpgsqlDataSource.Create(PgUrl.Parse(_deployment.AppUrl.Replace("&tenancy=rls", string.Empty, StringComparison.Ordinal)).Builder.ConnectionString);

    /// <summary>What the shared tables hold of <paramref name="tenant"/>: events, their stored payload bytes, streams.</summary>
    public Task<(long Events, long Bytes, long Streams)> CountAsync(string tenant)
        => _deployment.CountAsync(tenant, "octet_length(coalesce(data_bytes, convert_to(data_json::text, 'UTF8')))", TestContext.Current.CancellationToken);

    /// <summary>The admin (superuser) URL of the test server.</summary>
    public static async Task<string> AdminUrlAsync() => RlsDeployment.AdminUrl(await PgTestServer.UrlAsync());

    public static async Task<NpgsqlDataSource> AdminAsync() => RlsDeployment.Admin(await PgTestServer.UrlAsync());

    public ValueTask DisposeAsync() => _deployment.DisposeAsync();

    public static Task ExecAsync(NpgsqlDataSource ds, string sql) => RlsDeployment.ExecAsync(ds, sql);
}
