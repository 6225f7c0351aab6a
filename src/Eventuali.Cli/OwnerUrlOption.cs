using System.CommandLine;

namespace Eventuali.Cli;

/// <summary>
/// <c>--owner-url URL</c> (or <c>$EVENTUALI_OWNER_URL</c>), accepted by every command: for a shared-table store
/// (<c>postgresql://APP@host/db?tenancy=rls</c>, whose user is the application role) the owner role's URL, which
/// migrates the shared tables and provisions tenants. Never printed: it holds a password.
/// </summary>
internal static class OwnerUrlOption
{
    public const string Variable = "EVENTUALI_OWNER_URL";

    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>A fresh recursive --owner-url option, installed on the root command.</summary>
    public static Option<string?> Create() => new("--owner-url")
    {
        Description = $"With postgresql://APP@HOST/DB?tenancy=rls (shared tables; the URL's user is the application role): the owner role's URL, which migrates the tables and provisions tenants. Default: ${Variable}.",
        HelpName = "url",
        Recursive = true,
    };

    /// <summary>Records this invocation's owner URL: the option, else the environment variable.</summary>
    public static void Resolve(ParseResult parse, Option<string?> option, CliIo io)
        => Current.Value = parse.GetValue(option) is { } given && !string.IsNullOrWhiteSpace(given)
            ? given
            : io.GetEnvironment(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;

    /// <summary>This invocation's owner URL, or null when none was given.</summary>
    public static string? Given => Current.Value;
}
