using System.Globalization;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>A parsed URL or connection string: the Npgsql settings and the store's own keys (still unvalidated).</summary>
internal sealed record PgParsedUrl(NpgsqlConnectionStringBuilder Builder, string? Schema, string? AppendBatches, string? Pooler, string? Direct, string? Replica = null);

/// <summary>Parses <c>postgresql://user:password@host:port/database?schema=name&amp;key=value</c>.</summary>
internal static class PgUrl
{
    // libpq URL parameters and their Npgsql equivalents; any other key must be an Npgsql keyword.
    private static readonly Dictionary<string, string> LibpqKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["keepalives_idle"] = "Keepalive",
        ["user"] = "Username",
        ["password"] = "Password",
        ["host"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
    };

    private static readonly string[] TargetValues = ["any", "primary", "standby", "prefer-primary", "prefer-standby", "read-write", "read-only"];

    public static PgParsedUrl Parse(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Decode(rest[(slash + 1)..], "database") : null;

        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo, "user name");
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password");
            }
        }

        SetHost(builder, authority, url);
        if (!string.IsNullOrEmpty(database))
        {
            builder.Database = database;
        }

        string? schema = null;
        string? appendBatches = null;
        string? pooler = null;
        string? direct = null;
        string? replica = null;
        foreach (var pair in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq >= 0 ? pair[..eq] : pair, "query key");
            var value = eq >= 0 ? Decode(pair[(eq + 1)..], $"value of '{key}'") : string.Empty;
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase))
            {
                schema = value;
            }
            else if (key.Equals(PgSettings.AppendBatchesUrlKey, StringComparison.OrdinalIgnoreCase))
            {
                appendBatches = value;
            }
            else if (key.Equals(PgSettings.PoolerKey, StringComparison.OrdinalIgnoreCase))
            {
                pooler = value;
            }
            else if (key.Equals(PgSettings.DirectKey, StringComparison.OrdinalIgnoreCase))
            {
                direct = value;
            }
            else if (key.Equals(PgSettings.ReplicaKey, StringComparison.OrdinalIgnoreCase))
            {
                replica = value;
            }
            else if (key.Equals("target", StringComparison.OrdinalIgnoreCase))
            {
                // Multi-host URLs: which server of the list to use; Npgsql's Target Session Attributes does the work.
                builder.TargetSessionAttributes = TargetValues.Contains(value, StringComparer.OrdinalIgnoreCase)
                    ? value.ToLowerInvariant()
                    : throw new EventStoreConfigurationException($"The PostgreSQL URL's 'target' must be one of {string.Join(", ", TargetValues)}; got '{value}'.");
            }
            else
            {
                PgSettings.SetNpgsql(builder, LibpqKeys.TryGetValue(key, out var npgsqlKey) ? npgsqlKey : key, value);
            }
        }

        return new PgParsedUrl(builder, schema, appendBatches, pooler, direct, replica);
    }

    private static void SetHost(NpgsqlConnectionStringBuilder builder, string hostPort, string url)
    {
        if (hostPort.Length == 0)
        {
            return;
        }

        if (hostPort.Contains(',', StringComparison.Ordinal))
        {
            builder.Host = Decode(hostPort, "host list"); // Npgsql accepts host:port,host:port itself.
            return;
        }

        string host = hostPort;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new EventStoreConfigurationException($"The PostgreSQL URL '{Redact(url)}' has an unclosed '[' in its host.");
            }

            host = hostPort[1..close];
            port = hostPort.Length > close + 2 && hostPort[close + 1] == ':' ? hostPort[(close + 2)..] : null;
        }
        else if (hostPort.LastIndexOf(':') is var c and >= 0)
        {
            host = hostPort[..c];
            port = hostPort[(c + 1)..];
        }

        builder.Host = Decode(host, "host");
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                throw new EventStoreConfigurationException($"The PostgreSQL URL '{Redact(url)}' has an invalid port '{port}'.");
            }

            builder.Port = p;
        }
    }

    private static string Decode(string part, string what)
    {
        try
        {
            return Uri.UnescapeDataString(part);
        }
        catch (UriFormatException)
        {
            throw new EventStoreConfigurationException($"The PostgreSQL URL has a malformed percent-encoding in its {what}.");
        }
    }

    /// <summary>The URL with any password replaced by ***.</summary>
    public static string Redact(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var end = url.IndexOfAny(['/', '?'], start < 0 ? 0 : start + 3);
        var authority = end < 0 ? url : url[..end];
        var at = authority.LastIndexOf('@');
        if (start < 0 || at < 0)
        {
            return url;
        }

        var colon = url.IndexOf(':', start + 3);
        return colon > 0 && colon < at ? string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at)) : url;
    }
}
