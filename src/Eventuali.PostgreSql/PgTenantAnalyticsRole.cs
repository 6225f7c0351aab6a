namespace Eventuali.PostgreSql;

/// <summary>
/// The <c>analytics_role=ROLE</c> option of a tenancy=schema URL, taken out before the rest is parsed: the role granted
/// SELECT on an opted-in tenant's events and usage. It becomes a quoted identifier, so it is held to plain role names.
/// </summary>
internal static class PgTenantAnalyticsRole
{
    public static (string Url, string? Role) Take(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return (url, null);
        }

        string? role = null;
        var kept = new List<string>();
        foreach (var pair in url[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("analytics_role=", StringComparison.OrdinalIgnoreCase))
            {
                role = Validate(Uri.UnescapeDataString(pair["analytics_role=".Length..]));
            }
            else
            {
                kept.Add(pair);
            }
        }

        return (kept.Count == 0 ? url[..question] : url[..(question + 1)] + string.Join('&', kept), role);
    }

    private static string Validate(string role)
        => role is { Length: >= 1 and <= 63 } && role[0] is >= 'a' and <= 'z' && role.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            ? role
            : throw new EventStoreConfigurationException("The analytics_role of a tenancy=schema URL must be a role name of 1 to 63 lower-case letters, digits or underscores, starting with a letter.");
}
