using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Eventuali.PostgreSql;

/// <summary>Where and how to connect: the parsed URL or connection string, the schema, derived names.</summary>
internal sealed partial record PgSettings(NpgsqlConnectionStringBuilder Builder, string Schema)
{
    public const string DefaultSchema = "eventuali";

    /// <summary>URL query key and connection-string keyword for <see cref="AppendBatches"/>.</summary>
    public const string AppendBatchesUrlKey = "append_batches";
    public const string AppendBatchesKeyword = "Append Batches";

    /// <summary>URL query key (and keyword) saying the URL's hosts are a pooler: <c>pooler=transaction</c>.</summary>
    public const string PoolerKey = "pooler";

    /// <summary>URL query key (and keyword) naming the PostgreSQL server behind the pooler: <c>direct=host:port[,host:port]</c>.</summary>
    public const string DirectKey = "direct";

    /// <summary>URL query key (and keyword) naming hot standbys that may serve reads: <c>replica=host:port[,host:port]</c>.</summary>
    public const string ReplicaKey = "replica";

    /// <summary>Group-commit batches one store commits at once when not configured (capped by the pool size).</summary>
    public const int DefaultAppendBatches = 2;

    /// <summary>At most this many group-commit batches of this store are committing at once, each on its own connection.</summary>
    public int AppendBatches { get; init; } = DefaultAppendBatches;

    /// <summary>The tenant this store is bound to (schema mode): its appends are metered and checked against its quotas; null otherwise.</summary>
    public PgTenantMeter? Meter { get; init; }

    /// <summary>The store's name in metrics: tenant stores share their factory's, so there is no series per tenant.</summary>
    public string MetricsName => _metricsName ?? $"{Database}|{Schema}";

    private readonly string? _metricsName;

    /// <summary>Sets <see cref="MetricsName"/> (tenant stores: the base schema's).</summary>
    public string? MetricsNameOverride { init => _metricsName = value; }

    /// <summary>The URL's hosts are a transaction-mode pooler (PgBouncer): nothing relies on session state through them.</summary>
    public bool BehindPooler { get; init; }

    /// <summary>The server behind the pooler, for what needs a session of its own; null when not named.</summary>
    public NpgsqlConnectionStringBuilder? DirectBuilder { get; init; }

    /// <summary>Hot standbys that may serve stream and global-log reads (see <see cref="PgReplicas"/>); empty when none.</summary>
    public IReadOnlyList<NpgsqlConnectionStringBuilder> Replicas { get; init; } = [];

    /// <summary>
    /// Where connections that need a session of their own go (LISTEN, leases): the store's own settings, or behind a
    /// pooler the direct server; null behind a pooler without one (subscriptions poll, leases are refused).
    /// </summary>
    public NpgsqlConnectionStringBuilder? SessionBuilder => BehindPooler ? DirectBuilder : Builder;

    /// <summary>The schema as a quoted SQL identifier (validated, so quoting is only belt and braces).</summary>
    public string QuotedSchema => $"\"{Schema}\"";

    /// <summary>
    /// NOTIFY channel of this store: the schema name plus a suffix while that fits in an identifier; a tenant's store in
    /// shared tables (<see cref="Tenant"/>) has a channel of its own, derived from the validated id, so no tenant is woken
    /// by (or learns the positions of) another's appends.
    /// </summary>
    public string Channel => Tenant is { } tenant ? PgTenancyLocation.SchemaOf(Schema, tenant) : Schema.Length <= 54 ? Schema + "_appended" : Schema;

    /// <summary>
    /// Shared tables with row-level security (<c>tenancy=rls</c>): every table has a tenant_id in each of its keys, so the
    /// statements' conflict targets name it (<see cref="SqlText"/>). Set for the owner's set-up and every tenant's store.
    /// </summary>
    public bool Rls { get; init; }

    /// <summary>
    /// The tenant a store in shared tables is bound to: every transaction of the store sets it first
    /// (<see cref="PgTenantScope"/>); null for every other store.
    /// </summary>
    public Eventuali.Tenancy.TenantId? Tenant { get; init; }

    public string Host => Builder.Host ?? "localhost";
    public int Port => Builder.Port;
    public string User => Builder.Username ?? Environment.UserName;
    public string Database => Builder.Database ?? User;

    /// <summary>host:port, or the host list of a multi-host URL as given (each entry with its port).</summary>
    public string Endpoint => Host.Contains(',', StringComparison.Ordinal) ? Host : $"{Host}:{Port}";

    /// <summary>Host, port, database and user for messages; never the password.</summary>
    public string Describe => $"PostgreSQL at {Endpoint}, database '{Database}', user '{User}'";

    /// <summary>Never the connection string: it holds the password.</summary>
    public override string ToString() => $"{Describe}, schema '{Schema}'";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();

    public static void ValidateSchema(string schema)
    {
        if (!SchemaPattern().IsMatch(schema))
        {
            throw new EventStoreConfigurationException(
                $"Schema name '{schema}' is not accepted: use 1-63 characters of a-z, 0-9 and _, not starting with a digit.");
        }

        // PostgreSQL reserves pg_* and information_schema for itself: a store there would mix with the system catalogs.
        if (schema.StartsWith("pg_", StringComparison.Ordinal) || schema == "information_schema")
        {
            throw new EventStoreConfigurationException(
                $"Schema name '{schema}' is not accepted: it is reserved by PostgreSQL (pg_* and information_schema); use 1-63 characters of a-z, 0-9 and _, not starting with a digit or pg_.");
        }
    }

    /// <summary>Parses <c>postgresql://</c> / <c>postgres://</c> URLs and Npgsql keyword connection strings.</summary>
    public static PgSettings Parse(string urlOrConnectionString, EventStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(urlOrConnectionString))
        {
            throw new EventStoreConfigurationException("The PostgreSQL connection URL is empty; expected postgresql://user:password@host:port/database.");
        }

        var isUrl = urlOrConnectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                    || urlOrConnectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);
        var parsed = isUrl ? PgUrl.Parse(urlOrConnectionString) : ParseKeywords(urlOrConnectionString);
        var (builder, schema) = (parsed.Builder, parsed.Schema ?? DefaultSchema);
        ValidateSchema(schema);
        var pooled = PgPooler.IsTransactionPooler(parsed.Pooler, parsed.Direct);
        var direct = pooled && parsed.Direct is not null ? PgPooler.DirectBuilder(builder, parsed.Direct) : null;
        if (pooled)
        {
            PgPooler.ApplyDefaults(builder, options);
        }
        else
        {
            ApplyDefaults(builder, options);
        }

        if (direct is not null)
        {
            ApplyDefaults(direct, options);
        }

        return new PgSettings(builder, schema)
        {
            AppendBatches = ParseAppendBatches(parsed.AppendBatches, builder.MaxPoolSize),
            BehindPooler = pooled,
            DirectBuilder = direct,
            Replicas = parsed.Replica is null ? [] : PgReplicas.Builders(builder, parsed.Replica),
        };
    }

    /// <summary>A whole number from 1 to the pool size; unset: the default, capped by the pool size.</summary>
    private static int ParseAppendBatches(string? value, int maxPoolSize)
    {
        if (value is null)
        {
            return Math.Max(1, Math.Min(DefaultAppendBatches, maxPoolSize));
        }

        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1 || n > maxPoolSize)
        {
            throw new EventStoreConfigurationException(
                $"PostgreSQL setting '{AppendBatchesUrlKey}' must be a whole number from 1 to the pool size ({maxPoolSize}); got '{value}'.");
        }

        return n;
    }

    private static PgParsedUrl ParseKeywords(string connectionString)
    {
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw new EventStoreConfigurationException("The PostgreSQL connection string is malformed; expected postgresql://user:password@host/db or Host=...;Username=...;Database=....");
        }

        string? schema = null;
        string? appendBatches = null;
        string? pooler = null;
        string? direct = null;
        string? replica = null;
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (string key in generic.Keys)
        {
            var value = generic[key]?.ToString() ?? string.Empty;
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase))
            {
                schema = value;
                continue;
            }

            if (key.Equals(AppendBatchesKeyword, StringComparison.OrdinalIgnoreCase) || key.Equals(AppendBatchesUrlKey, StringComparison.OrdinalIgnoreCase))
            {
                appendBatches = value;
                continue;
            }

            if (key.Equals(PoolerKey, StringComparison.OrdinalIgnoreCase))
            {
                pooler = value;
                continue;
            }

            if (key.Equals(DirectKey, StringComparison.OrdinalIgnoreCase))
            {
                direct = value;
                continue;
            }

            if (key.Equals(ReplicaKey, StringComparison.OrdinalIgnoreCase))
            {
                replica = value;
                continue;
            }

            SetNpgsql(builder, key, value);
        }

        return new PgParsedUrl(builder, schema, appendBatches, pooler, direct, replica);
    }

    /// <summary>Sets one Npgsql keyword, or refuses it naming the key (never echoing a value, which may be a password).</summary>
    internal static void SetNpgsql(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        try
        {
            builder[key] = value;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new EventStoreConfigurationException($"PostgreSQL connection setting '{key}' is unknown or has an invalid value.");
        }
    }

    internal static void ApplyDefaults(NpgsqlConnectionStringBuilder builder, EventStoreOptions options)
    {
        if (string.IsNullOrEmpty(builder.Host))
        {
            builder.Host = "localhost";
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "eventuali";
        }

        // Statements are prepared on first reuse; our connections carry no session state worth resetting.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }

        builder.NoResetOnClose = true;

        // A host list: recheck a host marked down or of the wrong kind after 2 s, not Npgsql's 10, so connections find
        // a promoted standby soon after a failover (each recheck costs one connection attempt).
        if (builder.Host!.Contains(',', StringComparison.Ordinal) && builder.HostRecheckSeconds == 10)
        {
            builder.HostRecheckSeconds = 2;
        }

        var settings = options.Durability == Durability.Relaxed ? "-c synchronous_commit=off" : "-c synchronous_commit=on";
        builder.Options = string.IsNullOrEmpty(builder.Options) ? settings : builder.Options + " " + settings;
    }
}
