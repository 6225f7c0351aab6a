using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>The parameters append() and append_many() share, in their order (Sql/append.sql, Sql/append_many.sql).</summary>
internal static class AppendParameters
{
    /// <summary>
    /// The event columns: ids, types, payloads, content types, then correlation, causation, actor and headers,
    /// each of those NULL when no event has that field (unnest pads a NULL array with nulls).
    /// </summary>
    public static void AddEvents(NpgsqlParameterCollection p, Guid[] ids, string[] types, byte[][] data, string[] contentTypes,
        string?[]? correlation, string?[]? causation, string?[]? actor, string?[]? headers)
    {
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<byte[][]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = contentTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(Optional(correlation, NpgsqlDbType.Text));
        p.Add(Optional(causation, NpgsqlDbType.Text));
        p.Add(Optional(actor, NpgsqlDbType.Text));
        p.Add(Optional(headers, NpgsqlDbType.Jsonb));
    }

    /// <summary>The channel the call notifies once its transaction commits.</summary>
    public static NpgsqlParameter Notify(string channel) => new NpgsqlParameter<string> { TypedValue = channel, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Optional(string?[]? values, NpgsqlDbType type)
        => new() { Value = values is null ? DBNull.Value : values, NpgsqlDbType = NpgsqlDbType.Array | type };
}
