using System.Data;
using Eventuali.Statistics;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

public sealed partial class PostgreSqlEventStore : IStoreStatistics
{
    private StatsSql? _statsSql;

    /// <inheritdoc />
    public async ValueTask<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var sql = _statsSql ??= new StatsSql(_settings);
        long streams = 0, events = 0, size = 0;
        var types = new List<EventTypeCount>();
        var categories = new List<CategoryCount>();
        try
        {
            var conn = PgTenantScope.Mark(await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), _settings);
            await using (conn.ConfigureAwait(false))
            {
                // One snapshot, so the counts agree with each other.
                var tx = await PgTenantScope.BeginAsync(conn, cancellationToken, IsolationLevel.RepeatableRead).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    var batch = new NpgsqlBatch(conn, tx);
                    await using (batch.ConfigureAwait(false))
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Totals));
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Types));
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Categories));
                        var sizeCommand = new NpgsqlBatchCommand(sql.Size);
                        sizeCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _settings.Schema, NpgsqlDbType = NpgsqlDbType.Text });
                        batch.BatchCommands.Add(sizeCommand);
                        var r = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        await using (r.ConfigureAwait(false))
                        {
                            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
                            (streams, events) = (r.GetInt64(0), r.GetInt64(1));
                            await r.NextResultAsync(cancellationToken).ConfigureAwait(false);
                            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                types.Add(new(r.GetString(0), r.GetInt64(1)));
                            }

                            await r.NextResultAsync(cancellationToken).ConfigureAwait(false);
                            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                categories.Add(new(r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
                            }

                            await r.NextResultAsync(cancellationToken).ConfigureAwait(false);
                            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
                            size = r.GetInt64(0);
                        }
                    }

                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (NpgsqlException ex) when (PgErrors.Map(ex, _settings) is { } mapped)
        {
            throw mapped;
        }

        return StreamCategories.Ordered(streams, events, size, types, categories);
    }

    /// <summary>The statements of Sql/stats.sql with the schema name filled in.</summary>
    private sealed class StatsSql
    {
        public StatsSql(PgSettings settings)
        {
            var sections = SqlFile.Load("stats.sql", settings);
            Totals = sections["stats_totals"];
            Types = sections["stats_types"];
            Categories = sections["stats_categories"];
            // Shared tables: the tenant's rows only, never the whole table's size.
            Size = settings.Tenant is null ? sections["stats_size"] : SqlFile.Load("rls.sql", settings)["tenant_size"];
        }

        public string Totals { get; }
        public string Types { get; }
        public string Categories { get; }
        public string Size { get; }
    }
}
