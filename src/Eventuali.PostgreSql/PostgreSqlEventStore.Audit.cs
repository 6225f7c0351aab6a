using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Eventuali.Auditing;
using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// The access audit log (table <c>audit_log</c>, migration 011). A batch locks the table against other writers, reads
/// the head and inserts its chained entries in one transaction, so every store and process writing the schema extends
/// one chain; appends and readers never wait for it.
/// </summary>
public sealed partial class PostgreSqlEventStore : IAuditLogStore
{
    private const int AuditPage = 1024;
    private FrozenDictionary<string, string>? _auditSql;

    private FrozenDictionary<string, string> AuditSql => _auditSql ??= SqlFile.Load("audit.sql", _settings);

    /// <inheritdoc />
    public async ValueTask<long> AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        AuditValidation.Records(records);
        return await InTransactionAsync(async conn =>
        {
            await AuditExecAsync(conn, "audit_lock", null, cancellationToken).ConfigureAwait(false);
            AuditEntry? head = null;
            await AuditExecAsync(conn, "audit_head", r => head = ReadAudit(r), cancellationToken).ConfigureAwait(false);
            var entries = AuditChain.Link(head?.Position ?? 0, head is null ? default : head.Hash.Span, records);
            if (entries.Count == 0)
            {
                return head?.Position ?? 0;
            }

            var n = entries.Count;
            var (positions, times, actors, actions, operations, streams) = (new long[n], new DateTimeOffset[n], new string[n], new short[n], new string[n], new string?[n]);
            var (outcomes, errors, counts, previous, hashes) = (new short[n], new string?[n], new long[n], new byte[n][], new byte[n][]);
            for (var i = 0; i < n; i++)
            {
                var (e, r) = (entries[i], entries[i].Record);
                (positions[i], times[i], actors[i], actions[i], operations[i], streams[i]) = (e.Position, r.Time, r.Actor, (short)r.Action, r.Operation, r.StreamId);
                (outcomes[i], errors[i], counts[i], previous[i], hashes[i]) = ((short)r.Outcome, r.ErrorType, r.EventCount, e.PreviousHash.ToArray(), e.Hash.ToArray());
            }

            await AuditExecAsync(conn, "audit_insert", null, cancellationToken,
                Array(positions, NpgsqlDbType.Bigint), Array(times, NpgsqlDbType.TimestampTz), Array(actors, NpgsqlDbType.Text),
                Array(actions, NpgsqlDbType.Smallint), Array(operations, NpgsqlDbType.Text), Array(streams, NpgsqlDbType.Text),
                Array(outcomes, NpgsqlDbType.Smallint), Array(errors, NpgsqlDbType.Text), Array(counts, NpgsqlDbType.Bigint),
                Array(previous, NpgsqlDbType.Bytea), Array(hashes, NpgsqlDbType.Bytea)).ConfigureAwait(false);
            return entries[^1].Position;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ReadAuditAsync(long fromPosition = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = Math.Max(fromPosition, 1);
        var page = new List<AuditEntry>(AuditPage);
        while (true)
        {
            page.Clear();
            await ReadRowsAsync(AuditSql["audit_page"], r => page.Add(ReadAudit(r)), cancellationToken, Big(from),
                new NpgsqlParameter<int> { TypedValue = AuditPage, NpgsqlDbType = NpgsqlDbType.Integer }).ConfigureAwait(false);
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
    public async ValueTask<AuditEntry?> ReadAuditHeadAsync(CancellationToken cancellationToken = default)
    {
        AuditEntry? head = null;
        await ReadRowsAsync(AuditSql["audit_head"], r => head = ReadAudit(r), cancellationToken).ConfigureAwait(false);
        return head;
    }

    private async Task AuditExecAsync(NpgsqlConnection conn, string name, Action<NpgsqlDataReader>? onRow, CancellationToken cancellationToken, params NpgsqlParameter[] args)
    {
        var cmd = PgTenantScope.Batch(conn, null, AuditSql[name], args);
        await using (cmd.ConfigureAwait(false))
        {
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    onRow?.Invoke(reader);
                }
            }
        }
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType type)
        => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };

    private static AuditEntry ReadAudit(NpgsqlDataReader r)
        => new(
            r.GetInt64(0),
            new AuditRecord(
                r.GetFieldValue<DateTimeOffset>(1),
                r.GetString(2),
                (AuditAction)r.GetInt16(3),
                r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                (AuditOutcome)r.GetInt16(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                r.GetInt64(8)),
            r.GetFieldValue<byte[]>(9),
            r.GetFieldValue<byte[]>(10));
}
