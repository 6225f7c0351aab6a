using System.CommandLine;

namespace Eventuali.Cli;

/// <summary>
/// <c>--tenant ID</c>, accepted by every command: with a multi-tenant store URL (<c>sqlite://DIR/?tenancy=file</c>, <c>postgresql://…?tenancy=schema</c>) the
/// command works on that tenant's store only. The id is validated by the store when it opens.
/// </summary>
internal static class TenantOption
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>A fresh recursive --tenant option, installed on the root command.</summary>
    public static Option<string?> Create() => new("--tenant")
    {
        Description = "With a multi-tenant store URL (sqlite://DIR/?tenancy=file, postgresql://…?tenancy=schema or ?tenancy=rls): work on this tenant's store only.",
        HelpName = "id",
        Recursive = true,
    };

    /// <summary>Records this invocation's tenant.</summary>
    public static void Resolve(ParseResult parse, Option<string?> option)
        => Current.Value = parse.GetValue(option) is { } given && !string.IsNullOrWhiteSpace(given) ? given : null;

    /// <summary>This invocation's --tenant, or null when none was given.</summary>
    public static string? Given => Current.Value;

    /// <summary><paramref name="url"/> naming this invocation's tenant (tenant=ID), or unchanged when none was given.</summary>
    public static string Apply(string url)
        => Current.Value is { } tenant
            ? url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "tenant=" + Uri.EscapeDataString(tenant)
            : url;
}
