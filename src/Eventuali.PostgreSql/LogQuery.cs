using Npgsql;
using NpgsqlTypes;

namespace Eventuali.PostgreSql;

/// <summary>The statement and arguments of a global-log read with its filter pushed into SQL.</summary>
internal sealed class LogQuery
{
    private readonly string[]? _types;
    private readonly string? _prefix;
    private readonly string? _prefixEnd;

    public LogQuery(SqlText sql, EventFilter? filter, int pageSize)
    {
        _types = filter is { HasEventTypes: true } ? [.. filter.EventTypes!] : null;
        _prefix = string.IsNullOrEmpty(filter?.StreamIdPrefix) ? null : filter.StreamIdPrefix;
        _prefixEnd = _prefix is null ? null : PrefixRange.UpperBound(_prefix);
        Sql = sql.ReadAll[(_types is null ? 0 : 1) + (_prefix is null ? 0 : 2)];
        PageSize = Math.Max(1, pageSize);
    }

    public string Sql { get; }

    public int PageSize { get; }

    public NpgsqlParameter[] Arguments(long position, int limit)
    {
        var args = new NpgsqlParameter[_prefix is not null ? 5 : _types is not null ? 3 : 2];
        args[0] = new NpgsqlParameter<long> { TypedValue = position, NpgsqlDbType = NpgsqlDbType.Bigint };
        args[1] = new NpgsqlParameter<int> { TypedValue = limit, NpgsqlDbType = NpgsqlDbType.Integer };
        if (args.Length > 2)
        {
            // $3 is bound even when only the prefix filters (unused there), so parameter numbers stay fixed.
            args[2] = new NpgsqlParameter<string[]> { TypedValue = _types ?? [], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
        }

        if (_prefix is not null)
        {
            args[3] = new NpgsqlParameter<string> { TypedValue = _prefix, NpgsqlDbType = NpgsqlDbType.Text };
            args[4] = new NpgsqlParameter<string> { TypedValue = _prefixEnd!, NpgsqlDbType = NpgsqlDbType.Text };
        }

        return args;
    }
}
