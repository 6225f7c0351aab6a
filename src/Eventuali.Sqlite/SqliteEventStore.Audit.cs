using System.Runtime.CompilerServices;
using Eventuali.Auditing;
using Microsoft.Data.Sqlite;

namespace Eventuali.Sqlite;

/// <summary>
/// The access audit log (table <c>audit_log</c>, migration 011), on the connection checkpoints use. A batch reads the
/// head and inserts its chained entries in one BEGIN IMMEDIATE transaction, so every process writing the file extends
/// one chain; appends never wait for it.
/// </summary>
public sealed partial class SqliteEventStore : IAuditLogStore
{
    private const int AuditPage = 1024;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> AuditSql = new(() => SqlFile.Load("audit.sql"));

    /// <inheritdoc />
    public ValueTask<long> AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        AuditValidation.Records(records);
        return ValueTask.FromResult(RunCheckpoint(
            c =>
            {
                using var transaction = c.BeginTransaction(deferred: false);
                AuditEntry? head;
                using (var last = AuditCommand(c, transaction, "audit_head"))
                {
                    head = ReadAudit(last).SingleOrDefault();
                }

                var entries = AuditChain.Link(head?.Position ?? 0, head is null ? default : head.Hash.Span, records);
                using var insert = AuditCommand(c, transaction, "audit_insert");
                var p = new SqliteParameter[11];
                for (var i = 0; i < p.Length; i++)
                {
                    p[i] = insert.Parameters.Add("?" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), SqliteType.Integer);
                }

                foreach (var e in entries)
                {
                    var r = e.Record;
                    (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) =
                        (e.Position, AuditChain.ToUnixMicroseconds(r.Time), r.Actor, (int)r.Action, r.Operation, (object?)r.StreamId ?? DBNull.Value);
                    (p[6].Value, p[7].Value, p[8].Value, p[9].Value, p[10].Value) =
                        ((int)r.Outcome, (object?)r.ErrorType ?? DBNull.Value, r.EventCount, e.PreviousHash.ToArray(), e.Hash.ToArray());
                    p[2].SqliteType = p[4].SqliteType = p[5].SqliteType = p[7].SqliteType = SqliteType.Text;
                    p[9].SqliteType = p[10].SqliteType = SqliteType.Blob;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                return entries.Count == 0 ? head?.Position ?? 0 : entries[^1].Position;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ReadAuditAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var from = Math.Max(fromPosition, 1);
        while (true)
        {
            var page = RunCheckpoint(
                c =>
                {
                    using var command = AuditCommand(c, null, "audit_page");
                    command.Parameters.AddWithValue("?1", from);
                    command.Parameters.AddWithValue("?2", AuditPage);
                    return ReadAudit(command);
                },
                cancellationToken);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < AuditPage)
            {
                yield break;
            }

            from = page[^1].Position + 1;
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditEntry?> ReadAuditHeadAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(RunCheckpoint(
            c =>
            {
                using var command = AuditCommand(c, null, "audit_head");
                return ReadAudit(command).SingleOrDefault();
            },
            cancellationToken));

    private static SqliteCommand AuditCommand(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AuditSql.Value[name];
        return command;
    }

    private static List<AuditEntry> ReadAudit(SqliteCommand command)
    {
        var list = new List<AuditEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var record = new AuditRecord(
                AuditChain.FromUnixMicroseconds(reader.GetInt64(1)),
                reader.GetString(2),
                (AuditAction)reader.GetInt32(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                (AuditOutcome)reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt64(8));
            list.Add(new AuditEntry(reader.GetInt64(0), record, (byte[])reader.GetValue(9), (byte[])reader.GetValue(10)));
        }

        return list;
    }
}
