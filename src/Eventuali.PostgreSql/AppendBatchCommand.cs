using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>
/// The one call of append_many (Sql/append_many.sql) for a group-commit batch of several appends: per-append
/// arguments as arrays in batch order, and every event's fields flattened in the same order. The server returns
/// one status row per append, in that order.
/// </summary>
internal static class AppendBatchCommand
{
    public static NpgsqlBatchCommand Create(IReadOnlyList<PendingAppend> batch, string sql, string? notifyChannel)
    {
        var appends = batch.Count;
        var streams = new string[appends];
        var expected = new long[appends];
        var counts = new int[appends];
        var timestamps = new DateTimeOffset[appends];
        var total = 0;
        for (var i = 0; i < appends; i++)
        {
            var a = batch[i];
            streams[i] = a.StreamId;
            expected[i] = a.Expected.Value;
            counts[i] = a.Count;
            timestamps[i] = a.Timestamp;
            total += a.Count;
        }

        var ids = new Guid[total];
        var types = new string[total];
        var data = new byte[total][];
        var contentTypes = new string[total];
        var at = 0;
        foreach (var a in batch)
        {
            a.Ids.CopyTo(ids, at);
            a.Types.CopyTo(types, at);
            a.Data.CopyTo(data, at);
            a.ContentTypes.CopyTo(contentTypes, at);
            at += a.Count;
        }

        var cmd = new NpgsqlBatchCommand(sql);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = streams, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = expected, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = counts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<byte[][]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = contentTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(Flatten(batch, total, static a => a.Correlation, NpgsqlDbType.Text));
        p.Add(Flatten(batch, total, static a => a.Causation, NpgsqlDbType.Text));
        p.Add(Flatten(batch, total, static a => a.Actor, NpgsqlDbType.Text));
        p.Add(Flatten(batch, total, static a => a.Headers, NpgsqlDbType.Jsonb));
        p.Add(notifyChannel is null
            ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }
            : new NpgsqlParameter<string> { TypedValue = notifyChannel, NpgsqlDbType = NpgsqlDbType.Text });
        return cmd;
    }

    /// <summary>One optional metadata field over the whole batch: NULL when no event has it, else null where an event lacks it.</summary>
    private static NpgsqlParameter Flatten(IReadOnlyList<PendingAppend> batch, int total, Func<PendingAppend, string?[]?> field, NpgsqlDbType type)
    {
        string?[]? values = null;
        var at = 0;
        foreach (var a in batch)
        {
            if (field(a) is { } own)
            {
                own.CopyTo(values ??= new string?[total], at);
            }

            at += a.Count;
        }

        return new NpgsqlParameter { Value = values is null ? DBNull.Value : values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }
}
