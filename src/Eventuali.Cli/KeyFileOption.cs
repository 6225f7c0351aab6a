using System.CommandLine;
using Eventuali.Security.Keys;

namespace Eventuali.Cli;

/// <summary>The <c>--key-file PATH</c> option every key-using command accepts, with <c>EVENTUALI_KEY_FILE</c> as its fallback.</summary>
internal static class KeyFileOption
{
    public const string Variable = "EVENTUALI_KEY_FILE";

    /// <summary>A fresh --key-file option (an option instance belongs to one command).</summary>
    public static Option<string?> Create() => new("--key-file")
    {
        Description = $"The local key file (created by 'eventuali keys init'). Default: ${Variable}.",
        HelpName = "path",
    };

    /// <summary>--key-file, else $EVENTUALI_KEY_FILE, else null.</summary>
    public static string? Resolve(string? given, CliIo io)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        var fromEnvironment = io.GetEnvironment(Variable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
    }

    /// <summary>Loads the key file at <paramref name="path"/>; a missing or unsafe file fails with the provider's message (no key material in it).</summary>
    public static LocalKeyFile Load(string path)
    {
        try
        {
            return LocalKeyFile.Load(path);
        }
        catch (KeyProviderException ex)
        {
            throw new KeyFileException(ex.Message, ex);
        }
    }

    /// <summary>The key file could not be used (exit code 1, the message as is).</summary>
    internal sealed class KeyFileException(string message, Exception inner) : IOException(message, inner);
}
