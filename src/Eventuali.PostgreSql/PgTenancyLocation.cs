using System.Globalization;
using Eventuali.Tenancy;

namespace Eventuali.PostgreSql;

/// <summary>
/// The tenancy options of a <c>postgresql://…?tenancy=schema[&amp;cache=N]</c> URL, taken out before the rest goes to
/// <see cref="PgSettings.Parse"/>; and the tenant schema's name.
/// </summary>
internal static class PgTenancyLocation
{
    /// <summary>What a tenant's schema name adds to the base schema's: <c>_t_</c> and the id.</summary>
    public const string Infix = "_t_";

    /// <summary>
    /// The longest base schema: with the infix and a 48-character tenant id it must fit PostgreSQL's 63-byte
    /// identifiers (longer names would be silently truncated, and two tenants could meet in one schema).
    /// </summary>
    public const int MaxBaseSchemaLength = 63 - 3 - TenantId.MaxLength;

    public static (string Url, int Capacity) Parse(string url) => ParseMode(url) is var (rest, capacity, _) ? (rest, capacity) : default;

    /// <summary>As <see cref="Parse"/>, with the mode asked for: <c>schema</c> or <c>rls</c>.</summary>
    public static (string Url, int Capacity, string Mode) ParseMode(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var capacity = TenantStoreCache.DefaultCapacity;
        string? mode = null;
        var kept = new List<string>();
        foreach (var pair in (question < 0 ? string.Empty : url[(question + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (key.Equals("tenancy", StringComparison.OrdinalIgnoreCase))
            {
                mode = value.ToLowerInvariant();
            }
            else if (key.Equals("cache", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out capacity) || capacity < 1)
                {
                    throw new EventStoreConfigurationException($"The cache option of the postgresql:// tenancy URL must be a whole number of open tenant stores, at least 1; got '{value}'.");
                }
            }
            else
            {
                kept.Add(pair);
            }
        }

        if (mode is not ("schema" or "rls"))
        {
            throw new EventStoreConfigurationException($"Unknown tenancy mode '{mode}' for PostgreSQL; the modes are tenancy=schema (a schema per tenant) and tenancy=rls (shared tables with row-level security).");
        }

        var rest = question < 0 ? url : url[..question];
        return (kept.Count == 0 ? rest : rest + "?" + string.Join('&', kept), capacity, mode);
    }

    /// <summary>Refuses a base schema too long to take a tenant suffix.</summary>
    public static void ValidateBase(string schema)
    {
        if (schema.Length > MaxBaseSchemaLength)
        {
            throw new EventStoreConfigurationException(
                $"The base schema '{schema}' is {schema.Length} characters; with tenancy=schema (or rls, whose per-tenant notification channels are named the same way) it may have at most {MaxBaseSchemaLength}, so that it plus '{Infix}' and a {TenantId.MaxLength}-character tenant id fit PostgreSQL's 63-byte identifiers.");
        }
    }

    /// <summary>
    /// The tenant's schema: the base schema, <c>_t_</c> and the id with hyphens as underscores (ids have no
    /// underscores, so two ids never share a schema). Only the validated, lower-cased id goes into it.
    /// </summary>
    public static string SchemaOf(string baseSchema, TenantId tenant) => baseSchema + Infix + tenant.Value.Replace('-', '_');
}
