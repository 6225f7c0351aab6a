using Eventuali.Tenancy;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// Cross-tenant analytics over the tenants that opted in: the reader is opened from the factory with an explicit grant
/// (never from a tenant's store), and it reads counts straight from each tenant's file, read-only and unpooled, like
/// the usage report: no tenant store is opened and no read is metered.
/// </summary>
public sealed partial class SqliteTenantStoreFactory : ICrossTenantAnalyticsSource
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> AnalyticsSql = new(() => SqlFile.Load("analytics.sql"));

    /// <summary>Opens a reader over this directory's tenants; <see cref="CrossTenantAnalyticsOptions.ReaderUrl"/> is ignored (it reads the tenants' files).</summary>
    public ValueTask<ICrossTenantAnalytics> OpenCrossTenantAnalyticsAsync(CrossTenantAnalyticsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<ICrossTenantAnalytics>(new CrossTenantAnalyticsReader(this, this, options.Grant, CountsAsync, AuditAsync));
    }

    private ValueTask<(long Streams, IReadOnlyList<KeyValuePair<string, long>> EventsByType)> CountsAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = FileOf(tenant);
        if (!File.Exists(file))
        {
            return ValueTask.FromResult<(long, IReadOnlyList<KeyValuePair<string, long>>)>((0, []));
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var streams = connection.CreateCommand();
        streams.CommandText = AnalyticsSql.Value["stream_count"];
        var streamCount = (long)streams.ExecuteScalar()!;
        using var types = connection.CreateCommand();
        types.CommandText = AnalyticsSql.Value["events_by_type"];
        using var reader = types.ExecuteReader();
        var byType = new List<KeyValuePair<string, long>>();
        while (reader.Read())
        {
            byType.Add(new(reader.GetString(0), reader.GetInt64(1)));
        }

        return ValueTask.FromResult<(long, IReadOnlyList<KeyValuePair<string, long>>)>((streamCount, byType));
    }

    private ValueTask AuditAsync(TenantId tenant, string action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _registry.AuditAction(tenant, action);
        return ValueTask.CompletedTask;
    }
}
