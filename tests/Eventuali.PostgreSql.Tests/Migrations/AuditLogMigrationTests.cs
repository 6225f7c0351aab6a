using Eventuali.Auditing;
using Eventuali.Security.Audit;
using Npgsql;
using static Eventuali.PostgreSql.Tests.Migrations.PgMigrationTestKit;

namespace Eventuali.PostgreSql.Tests.Migrations;

/// <summary>Migration 011 on a real v1 store: the audit log arrives empty, chains from position 1 and refuses edits, deletes and truncation.</summary>
public sealed class AuditLogMigrationTests : IAsyncLifetime
{
    private readonly PgMigrationTestKit _kit = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    [Fact]
    public async Task An_upgraded_v1_store_gets_an_empty_append_only_audit_log()
    {
        var url = await _kit.NewV1StoreAsync("mig_audit");
        var store = await _kit.OpenAsync(url, PgMigrations.Catalog, applyOnOpen: true);
        Assert.Null(await store.ReadAuditHeadAsync(Ct));
        var audited = store.WithAudit(AuditOptions.Full);
        await audited.ReadAllAsync(cancellationToken: Ct).CountAsync(Ct);
        await audited.Interceptors.OfType<AuditInterceptor>().Single().FlushAsync(Ct);
        Assert.True((await new AuditLogVerifier(store).VerifyAsync(cancellationToken: Ct)).IsIntact);
        Assert.Equal(1, (await store.ReadAuditHeadAsync(Ct))!.Position);

        var table = $"\"{SchemaOf(url)}\".audit_log";
        foreach (var sql in new[] { $"UPDATE {table} SET actor = 'x'", $"DELETE FROM {table}", $"TRUNCATE {table}" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(sql));
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }
    }
}
