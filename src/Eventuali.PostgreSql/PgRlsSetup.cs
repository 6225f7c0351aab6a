using System.Collections.Frozen;
using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// Shared tables with row-level security (Sql/rls.sql): the owner's set-up (migrations, then the conversion of every
/// table), the application role's checks at open, and the owner's per-tenant work (provisioning, usage, purge), each
/// in a transaction that sets the tenant first.
/// </summary>
internal sealed class PgRlsSetup(PgSettings settings)
{
    private readonly FrozenDictionary<string, string> _sql = SqlFile.Load("rls.sql", settings);

    /// <summary>Migrates the schema as the owner, then converts every table (idempotent) and grants <paramref name="appRole"/> its rights.</summary>
    public async Task SetUpAsync(NpgsqlDataSource owner, string appRole, EventStoreOptions options, CancellationToken ct)
    {
        // The migrations as for any store (their SQL predates tenant_id); the conversion then puts it in every key.
        var plain = settings with { Rls = false };
        await SchemaInstaller.InstallAsync(owner, plain, new SqlText(plain), PgMigrations.Catalog, options with { ApplyMigrationsOnOpen = true }, ct).ConfigureAwait(false);
        var sql = new SqlText(settings);
        var conn = await owner.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                await ExecAsync(conn, tx, _sql["convert_lock"], ct, Text(settings.Schema)).ConfigureAwait(false);
                await ExecAsync(conn, tx, _sql["use_tenant_create"], ct).ConfigureAwait(false);
                await ExecAsync(conn, tx, _sql["key_create"], ct).ConfigureAwait(false);
                await ExecAsync(conn, tx, _sql["convert_create"], ct).ConfigureAwait(false);
                await ExecAsync(conn, tx, _sql["convert_run"], ct, Text(settings.Schema), Text(appRole)).ConfigureAwait(false);
                await ExecAsync(conn, tx, _sql["convert_drop"], ct).ConfigureAwait(false);
                await ExecAsync(conn, tx, _sql["key_drop"], ct).ConfigureAwait(false);
                // The append functions with tenant_id in their conflict targets (replacing keeps their grants).
                await ExecAsync(conn, tx, sql.AppendFunction, ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether the schema is set up for shared tables (every table forces row-level security).</summary>
    public async Task<bool> IsConvertedAsync(NpgsqlDataSource source, CancellationToken ct)
        => await ScalarAsync(source, _sql["converted"], ct, Text(settings.Schema)).ConfigureAwait(false) is true;

    /// <summary>
    /// Refuses an application role that row-level security would not hold: a superuser, a role with BYPASSRLS, the
    /// schema's owner (or a member of it, who could SET ROLE to it) or the owner of one of its tables, or the owner
    /// role itself. The message names the role and the problem, never a password.
    /// </summary>
    public async Task CheckApplicationRoleAsync(NpgsqlDataSource app, string? ownerRole, CancellationToken ct)
    {
        var role = settings.User;
        if (ownerRole is not null && string.Equals(ownerRole, role, StringComparison.Ordinal))
        {
            throw Refused(role, "is also the owner role (--owner-url / EVENTUALI_OWNER_URL); the application must connect as a different role that owns nothing");
        }

        var conn = await app.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var cmd = new NpgsqlCommand(_sql["role_check"], conn);
            await using (cmd.ConfigureAwait(false))
            {
                cmd.Parameters.Add(Text(settings.Schema));
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        throw Refused(role, "was not found in pg_roles");
                    }

                    if (reader.GetBoolean(0))
                    {
                        throw Refused(role, "is a superuser, which row-level security does not hold");
                    }

                    if (reader.GetBoolean(1))
                    {
                        throw Refused(role, "has BYPASSRLS, which row-level security does not hold");
                    }

                    if (reader.GetBoolean(2))
                    {
                        throw Refused(role, $"owns schema '{settings.Schema}' or is a member of its owner (it could SET ROLE to it)");
                    }

                    if (reader.GetBoolean(3))
                    {
                        throw Refused(role, $"owns a table of schema '{settings.Schema}' or is a member of its owner");
                    }
                }
            }
        }
    }

    /// <summary>The tenant's own rows that every store needs (its store id), as the owner; idempotent.</summary>
    public Task ProvisionAsync(NpgsqlDataSource owner, TenantId tenant, CancellationToken ct)
        => InTenantTransactionAsync(owner, tenant, async (conn, tx) =>
        {
            await ExecAsync(conn, tx, _sql["provision"], ct).ConfigureAwait(false);
            return true;
        }, ct);

    /// <summary>Removes every row of the tenant from every shared table, inside the registry's purge transaction.</summary>
    public async Task RemoveTenantDataAsync(NpgsqlConnection conn, NpgsqlTransaction tx, TenantId tenant, CancellationToken ct)
    {
        await ExecAsync(conn, tx, _sql["use_tenant"], ct, Text(tenant.Value)).ConfigureAwait(false);
        var tables = new List<string>();
        var list = new NpgsqlCommand(_sql["tenant_tables"], conn, tx);
        await using (list.ConfigureAwait(false))
        {
            list.Parameters.Add(Text(settings.Schema));
            var reader = await list.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    tables.Add(reader.GetString(0));
                }
            }
        }

        foreach (var table in tables)
        {
            // Table names come from the catalog; quoted as identifiers.
            var name = $"\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            var appendOnly = table == "audit_log";
            if (appendOnly)
            {
                await ExecAsync(conn, tx, _sql["audit_log_trigger_off"], ct).ConfigureAwait(false);
            }

            await ExecAsync(conn, tx, _sql["purge_rows"].Replace("__TABLE__", name, StringComparison.Ordinal), ct, Text(tenant.Value)).ConfigureAwait(false);
            if (appendOnly)
            {
                await ExecAsync(conn, tx, _sql["audit_log_trigger_on"], ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of <paramref name="source"/> whose tenant is <paramref name="tenant"/>.</summary>
    public async Task<T> InTenantTransactionAsync<T>(NpgsqlDataSource source, TenantId tenant, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        var conn = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                await ExecAsync(conn, tx, _sql["use_tenant"], ct, Text(tenant.Value)).ConfigureAwait(false);
                var result = await work(conn, tx).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }
        }
    }

    private static EventStoreConfigurationException Refused(string role, string problem)
        => new($"Refusing to open the shared-table (tenancy=rls) store as role '{role}': it {problem}. Connect as a login role with NOSUPERUSER NOBYPASSRLS that owns nothing; the owner role goes in --owner-url or EVENTUALI_OWNER_URL.");

    private static async Task<object?> ScalarAsync(NpgsqlDataSource source, string text, CancellationToken ct, params NpgsqlParameter[] args)
    {
        var cmd = source.CreateCommand(text);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Parameters.AddRange(args);
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string text, CancellationToken ct, params NpgsqlParameter[] args)
    {
        var cmd = new NpgsqlCommand(text, conn, tx);
        await using (cmd.ConfigureAwait(false))
        {
            cmd.Parameters.AddRange(args);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
