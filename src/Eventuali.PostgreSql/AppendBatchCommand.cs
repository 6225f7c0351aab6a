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
    public static NpgsqlBatchCommand Create(IReadOnlyList<PendingAppend> batch, string sql, string notifyChannel)
    {
        var total = batch.Sum(a => a.Count);
        var cmd = new NpgsqlBatchCommand(sql);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(a => a.StreamId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = [.. batch.Select(a => a.Expected.Value)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. batch.Select(a => a.Count)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. batch.Select(a => a.Timestamp)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        AppendParameters.AddEvents(p,
            Concat(batch, total, static a => a.Ids)!, Concat(batch, total, static a => a.Types)!,
            Concat(batch, total, static a => a.Data)!, Concat(batch, total, static a => a.ContentTypes)!,
            Concat(batch, total, static a => a.Correlation), Concat(batch, total, static a => a.Causation),
            Concat(batch, total, static a => a.Actor), Concat(batch, total, static a => a.Headers));
        p.Add(AppendParameters.Notify(notifyChannel));
        return cmd;
    }

    /// <summary>
    /// The insert of the batch's (subject, stream) pairs, in the same transaction as the append call and after it,
    /// or null when no event names a subject. Each pair carries its append's first event id, so the statement keeps
    /// only the pairs of appends whose events are stored.
    /// </summary>
    public static NpgsqlBatchCommand? SubjectStreams(IReadOnlyList<PendingAppend> batch, string sql)
    {
        List<string>? subjects = null;
        List<string>? streams = null;
        List<Guid>? events = null;
        foreach (var a in batch)
        {
            foreach (var subject in a.Subjects)
            {
                (subjects ??= []).Add(subject);
                (streams ??= []).Add(a.StreamId);
                (events ??= []).Add(a.Ids[0]);
            }
        }

        if (subjects is null)
        {
            return null;
        }

        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. subjects], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. streams!], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. events!], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return cmd;
    }

    /// <summary>One event field over the whole batch, in batch order: null when no append has it, else default where one lacks it.</summary>
    private static T[]? Concat<T>(IReadOnlyList<PendingAppend> batch, int total, Func<PendingAppend, T[]?> field)
    {
        T[]? values = null;
        var at = 0;
        foreach (var a in batch)
        {
            if (field(a) is { } own)
            {
                own.CopyTo(values ??= new T[total], at);
            }

            at += a.Count;
        }

        return values;
    }
}
