using System.CommandLine;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;

namespace Eventuali.Cli;

/// <summary>
/// <c>--key-file PATH</c> (or <c>$EVENTUALI_KEY_FILE</c>), accepted by every command: a store the CLI opens is then
/// seen through field encryption, so appends encrypt what they are asked to and reads decrypt what the key allows
/// (erased subjects read as the redaction marker).
/// </summary>
internal static class KeyFileOption
{
    public const string Variable = "EVENTUALI_KEY_FILE";

    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>A fresh recursive option, installed on the root command.</summary>
    public static Option<string?> Create() => new("--key-file")
    {
        Description = $"Local key file for field encryption (created by 'eventuali keys init'). Default: ${Variable}.",
        HelpName = "path",
        Recursive = true,
    };

    /// <summary>The key file of this invocation, or null.</summary>
    public static string? Path => Current.Value;

    /// <summary>Records the key file of this invocation: --key-file, else $EVENTUALI_KEY_FILE.</summary>
    public static void Resolve(ParseResult parse, Option<string?> option, CliIo io)
    {
        var given = parse.GetValue(option);
        var fromEnvironment = io.GetEnvironment(Variable);
        Current.Value = !string.IsNullOrWhiteSpace(given) ? given : string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
    }

    /// <summary>The key file of this invocation, refused when none was given.</summary>
    public static string Required(string command)
        => Path ?? throw new UsageException($"'{command}' needs a key file: pass --key-file PATH or set ${Variable}.");

    /// <summary><paramref name="store"/> through field encryption when a key file was given; disposes it when the key file cannot be used.</summary>
    public static async ValueTask<IEventStore> SecureAsync(IEventStore store)
    {
        if (Path is null)
        {
            return store;
        }

        try
        {
            return Encryption(store).Store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Loads the key file at <paramref name="path"/>; a missing or unsafe file fails with the provider's message (no key material in it).</summary>
    public static LocalKeyFile Load(string path) => LocalKeyFile.Load(path);

    /// <summary>Field encryption over <paramref name="store"/> with this invocation's key file.</summary>
    public static FieldEncryption Encryption(IEventStore store)
        => FieldEncryption.Create(store, new FieldEncryptionOptions(LocalKeyFile.Load(Required("this command"))));
}
