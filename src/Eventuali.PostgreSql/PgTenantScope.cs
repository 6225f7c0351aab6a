using System.Data;
using System.Runtime.CompilerServices;
using Eventuali.Migrations;
using Eventuali.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// The one seam that binds a tenant's store in shared tables (<c>tenancy=rls</c>) to its tenant. Every connection such
/// a store opens is marked with the tenant (<see cref="Mark"/>); every command the store runs is a batch whose first
/// statement is <c>CALL use_tenant($1)</c> (<see cref="Batch"/>), and every transaction it begins sets the tenant first
/// (<see cref="BeginAsync"/>). <c>set_config(..., true)</c> ends with the transaction, so a connection back in the pool
/// (or behind PgBouncer in transaction mode) carries no tenant. Connections of other stores are never marked: for them
/// this adds nothing.
/// </summary>
internal static class PgTenantScope
{
    // Per connection object (each open hands out a new one): the tenant and the statement that sets it.
    private static readonly ConditionalWeakTable<NpgsqlConnection, Binding> Bindings = [];

    private sealed record Binding(TenantId Tenant, string UseTenant);

    /// <summary>Marks <paramref name="connection"/> as one of <paramref name="settings"/>' tenant store; returns it.</summary>
    public static NpgsqlConnection Mark(NpgsqlConnection connection, PgSettings settings)
    {
        if (settings.Tenant is { } tenant)
        {
            Bindings.AddOrUpdate(connection, new Binding(tenant, UseTenantSql(settings)));
        }

        return connection;
    }

    /// <summary>The statement that sets the transaction's tenant (its one parameter: the tenant id).</summary>
    public static string UseTenantSql(PgSettings settings) => $"CALL {settings.QuotedSchema}.use_tenant($1)";

    /// <summary>The tenant <paramref name="connection"/> is bound to, if any.</summary>
    public static TenantId? TenantOf(NpgsqlConnection connection) => Bindings.TryGetValue(connection, out var b) ? b.Tenant : null;

    /// <summary>
    /// A batch of <paramref name="sql"/> with <paramref name="args"/>. Outside an explicit transaction, on a tenant's
    /// connection, it is led by the statement that sets the tenant, both in the batch's one implicit transaction. Inside
    /// <paramref name="transaction"/> (begun by <see cref="BeginAsync"/>, which set the tenant) nothing is added: setting
    /// it again would hide a change made by other code in the transaction from <see cref="VerifyAsync"/>.
    /// </summary>
    public static NpgsqlBatch Batch(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params NpgsqlParameter[] args)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        if (transaction is null)
        {
            Lead(batch, connection);
        }

        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(args);
        batch.BatchCommands.Add(command);
        return batch;
    }

    /// <summary>Puts the statement that sets the tenant first in <paramref name="batch"/>, on a tenant's connection.</summary>
    public static void Lead(NpgsqlBatch batch, NpgsqlConnection connection)
    {
        if (Bindings.TryGetValue(connection, out var binding))
        {
            var use = new NpgsqlBatchCommand(binding.UseTenant);
            use.Parameters.Add(new NpgsqlParameter<string> { TypedValue = binding.Tenant.Value, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Insert(0, use);
        }
    }

    /// <summary>Begins a transaction on <paramref name="connection"/>; on a tenant's connection its first statement sets the tenant.</summary>
    public static async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken ct, IsolationLevel isolation = IsolationLevel.Unspecified)
    {
        var transaction = await connection.BeginTransactionAsync(isolation, ct).ConfigureAwait(false);
        if (Bindings.TryGetValue(connection, out _))
        {
            var batch = new NpgsqlBatch(connection, transaction);
            await using (batch.ConfigureAwait(false))
            {
                Lead(batch, connection);
                await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        return transaction;
    }

    /// <summary>
    /// Before committing a transaction that ran code other than the store's (a projection's or a saga's SQL): on a
    /// tenant's connection, checks that the tenant and the role are still the ones the store set, and otherwise rolls
    /// back and throws <see cref="TenantContextChangedException"/>. A statement that fails (the transaction already
    /// aborted) rolls back too.
    /// </summary>
    public static async Task VerifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (!Bindings.TryGetValue(connection, out var binding))
        {
            return;
        }

        var intact = false;
        try
        {
            var command = new NpgsqlCommand(VerifySql, connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = binding.Tenant.Value, NpgsqlDbType = NpgsqlDbType.Text });
                intact = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
            }
        }
        finally
        {
            if (!intact)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (!intact)
        {
            throw new TenantContextChangedException(binding.Tenant);
        }
    }

    private static string VerifySql => Verify.Value;

    private static readonly Lazy<string> Verify = new(() => SqlSections.Load(typeof(PgTenantScope).Assembly, "Eventuali.PostgreSql.Sql.rls.sql")["verify"]);
}
