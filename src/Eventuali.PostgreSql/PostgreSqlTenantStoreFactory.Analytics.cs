using System.Collections.Frozen;
using Eventuali.Tenancy;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>
/// Cross-tenant analytics on PostgreSQL: the reader connects with a URL of its own, as a role that is neither the
/// provisioning role nor a superuser, and that holds SELECT only on the events and usage of the tenants that opted in
/// (granted and revoked by the registry as the opt-in, suspension and deletion change). The registry says which tenants
/// may be read, and refuses the others before anything is read; the database refuses them again should it be asked.
/// </summary>
public sealed partial class PostgreSqlTenantStoreFactory : ICrossTenantAnalyticsSource
{
    /// <summary>
    /// Opens a reader of aggregates over the tenants that opted in, under the options' grant, connecting with
    /// <see cref="CrossTenantAnalyticsOptions.ReaderUrl"/> (<c>postgresql://reader:password@host/db</c>, the same
    /// database), which is required here. Throws <see cref="ArgumentException"/> without it, and
    /// <see cref="EventStoreConfigurationException"/> when the grant's purpose is malformed, or when the reader's role is
    /// the factory's own role, a superuser or a role that bypasses row security.
    /// </summary>
    public async ValueTask<ICrossTenantAnalytics> OpenCrossTenantAnalyticsAsync(CrossTenantAnalyticsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Grant);
        if (string.IsNullOrWhiteSpace(options.ReaderUrl))
        {
            throw new ArgumentException("PostgreSQL cross-tenant analytics reads as a role of its own: give its URL in CrossTenantAnalyticsOptions.ReaderUrl (CLI: --reader-url or EVENTUALI_ANALYTICS_URL).", nameof(options));
        }

        var reader = PgSettings.Parse(options.ReaderUrl, _options);

        // Unpooled: the reader is short-lived and not disposable, so it keeps no connection open between reads.
        var builder = new NpgsqlConnectionStringBuilder(reader.Builder.ConnectionString) { Pooling = false };
        var sql = SqlFile.Load("tenant_analytics.sql", _settings);
        await Mapped(CheckReaderAsync(builder, sql, cancellationToken)).ConfigureAwait(false);
        var source = NpgsqlDataSource.Create(builder);
        return new CrossTenantAnalyticsReader(this, this, options.Grant, (t, ct) => CountsAsync(source, t, ct), AuditAnalyticsAsync, (t, ct) => UsageAsync(source, reader, t, ct));
    }

    private async Task<bool> CheckReaderAsync(NpgsqlConnectionStringBuilder builder, FrozenDictionary<string, string> sql, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await using (conn.ConfigureAwait(false))
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            var cmd = new NpgsqlCommand(sql["whoami"], conn);
            await using (cmd.ConfigureAwait(false))
            {
                var rows = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (rows.ConfigureAwait(false))
                {
                    await rows.ReadAsync(ct).ConfigureAwait(false);
                    var (user, super, bypass) = (rows.GetString(0), rows.GetBoolean(1), rows.GetBoolean(2));
                    if (user == _settings.User || super || bypass)
                    {
                        throw new EventStoreConfigurationException(
                            $"The cross-tenant analytics reader connects as '{user}', which {(super ? "is a superuser" : bypass ? "bypasses row security" : "is the provisioning role")}; it must connect as a role of its own that holds SELECT only on opted-in tenants (analytics_role).");
                    }
                }
            }
        }

        return true;
    }

    private async ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)> CountsAsync(NpgsqlDataSource source, TenantId tenant, CancellationToken ct)
    {
        var sql = SqlFile.Load("tenant_analytics.sql", _settings with { Schema = SchemaOf(tenant) });
        return await Mapped(ReadCountsAsync(source, sql, ct)).ConfigureAwait(false);
    }

    private static async Task<(long, IReadOnlyList<KeyValuePair<string, long>>)> ReadCountsAsync(NpgsqlDataSource source, FrozenDictionary<string, string> sql, CancellationToken ct)
    {
        var conn = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            long streams;
            var count = new NpgsqlCommand(sql["stream_count"], conn);
            await using (count.ConfigureAwait(false))
            {
                streams = (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            var types = new NpgsqlCommand(sql["events_by_type"], conn);
            await using (types.ConfigureAwait(false))
            {
                var reader = await types.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var byType = new List<KeyValuePair<string, long>>();
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        byType.Add(new(reader.GetString(0), reader.GetInt64(1)));
                    }

                    return (streams, byType);
                }
            }
        }
    }

    // The usage too is read as the reader's role (the tenant's usage table is part of its grant).
    private async ValueTask<TenantUsage> UsageAsync(NpgsqlDataSource source, PgSettings reader, TenantId tenant, CancellationToken ct)
        => await Mapped(ReadUsageAsync(source, reader with { Schema = SchemaOf(tenant) }, tenant, null, null, ct)).ConfigureAwait(false);

    private async ValueTask AuditAnalyticsAsync(TenantId tenant, string action, CancellationToken ct)
        => await Mapped(_registry.AuditActionAsync(tenant, action, ct)).ConfigureAwait(false);
}
