namespace Eventuali.Server;

/// <summary>What a caller may do, each role including the ones before it, always within the caller's stream-id prefix scope.</summary>
public enum ApiRole
{
    /// <summary>Read streams, the global log, categories and subscriptions, and stream info.</summary>
    Read = 1,

    /// <summary>Read, and append.</summary>
    Write = 2,

    /// <summary>Write, and delete, truncate, archive and restore streams, rebuild projections, read statistics.</summary>
    Admin = 3,
}

/// <summary>Text forms of <see cref="ApiRole"/>: <c>read</c>, <c>write</c>, <c>admin</c>.</summary>
public static class ApiRoles
{
    /// <summary>The role's lower-case name.</summary>
    public static string ToText(ApiRole role) => role switch
    {
        ApiRole.Read => "read",
        ApiRole.Write => "write",
        ApiRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    /// <summary>Parses <c>read</c>, <c>write</c> or <c>admin</c> (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out ApiRole role)
    {
        role = text?.Trim().ToUpperInvariant() switch
        {
            "READ" => ApiRole.Read,
            "WRITE" => ApiRole.Write,
            "ADMIN" => ApiRole.Admin,
            _ => 0,
        };
        return role != 0;
    }
}
