using Eventuali.Auditing;
using Eventuali.Security.Audit;
using Microsoft.Data.Sqlite;
using static Eventuali.Sqlite.Tests.Migrations.SqliteMigrationTestKit;

namespace Eventuali.Sqlite.Tests.Migrations;

/// <summary>Migration 011 on the checked-in v1 store: the audit log arrives empty, chains from position 1 and refuses edits.</summary>
public sealed class AuditLogMigrationTests
{
    [Fact]
    public async Task An_upgraded_v1_store_gets_an_empty_append_only_audit_log()
    {
        await using var temp = new TempSqliteStore();
        CopyV1Store(temp);
        await using (var store = await OpenAsync(temp, SqliteMigrations.Catalog, applyOnOpen: true))
        {
            var log = store.GetFeature<IAuditLogStore>()!;
            Assert.Null(await log.ReadAuditHeadAsync(Ct));
            await using (var audited = store.WithAudit(AuditOptions.Full))
            {
                await audited.ReadAllAsync(cancellationToken: Ct).CountAsync(Ct);
            }
        }

        await using var reopened = await OpenAsync(temp, SqliteMigrations.Catalog);
        Assert.True((await new AuditLogVerifier(reopened).VerifyAsync(cancellationToken: Ct)).IsIntact);
        Assert.Equal(1, (await reopened.GetFeature<IAuditLogStore>()!.ReadAuditHeadAsync(Ct))!.Position);

        await using var raw = new SqliteConnection($"Data Source={temp.FilePath};Pooling=false");
        await raw.OpenAsync(Ct);
        foreach (var sql in new[] { "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log" })
        {
            await using var command = raw.CreateCommand();
            command.CommandText = sql;
            var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync(Ct));
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }
    }
}
