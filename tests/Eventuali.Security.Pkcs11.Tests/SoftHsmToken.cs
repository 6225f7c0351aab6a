using System.Diagnostics;
using System.Runtime.InteropServices;
using Eventuali.Security.Pkcs11;

namespace Eventuali.Security.Pkcs11.Tests;

/// <summary>
/// The SoftHSM2 token the tests run against: from the environment that scripts/softhsm.sh prints, or, when those
/// variables are missing, by running the script itself (it installs SoftHSM2 and initialises the token). Never a skip.
/// </summary>
internal static partial class SoftHsmToken
{
    private static readonly Lazy<(string Module, string Token, string Pin)> Settings = new(Load);

    public static string Module => Settings.Value.Module;

    public static string Token => Settings.Value.Token;

    public static string Pin => Settings.Value.Pin;

    public static string NewLabel(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static Pkcs11KeyProviderOptions Options(IReadOnlyList<string>? keks = null, string? active = null, string? signing = null, string? pin = null)
        => new()
        {
            LibraryPath = Module,
            TokenLabel = Token,
            Pin = pin ?? Pin,
            KeyEncryptionKeyLabels = keks ?? [],
            ActiveKeyEncryptionKeyLabel = active,
            SigningKeyLabel = signing,
        };

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    private static (string, string, string) Load()
    {
        var module = Environment.GetEnvironmentVariable("EVENTUALI_PKCS11_MODULE");
        var token = Environment.GetEnvironmentVariable("EVENTUALI_PKCS11_TOKEN");
        var pin = Environment.GetEnvironmentVariable("EVENTUALI_PKCS11_PIN");
        if (string.IsNullOrEmpty(module) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(pin)
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SOFTHSM2_CONF")))
        {
            foreach (var (name, value) in RunScript())
            {
                // SoftHSM2 reads SOFTHSM2_CONF with getenv when the module initialises (after this), and .NET keeps
                // its own copy of the environment on Unix, so the native one is set too.
                Environment.SetEnvironmentVariable(name, value);
                _ = SetNativeEnvironment(name, value, 1);
            }

            module = Environment.GetEnvironmentVariable("EVENTUALI_PKCS11_MODULE");
            token = Environment.GetEnvironmentVariable("EVENTUALI_PKCS11_TOKEN");
            pin = Environment.GetEnvironmentVariable("EVENTUALI_PKCS11_PIN");
        }

        return (module!, token!, pin!);
    }

    private static IEnumerable<(string, string)> RunScript()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Eventuali.sln")))
        {
            dir = dir.Parent;
        }

        var script = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("The repository root (Eventuali.sln) was not found."), "scripts", "softhsm.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/softhsm.sh failed ({process.ExitCode}): {error}");
        }

        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("export ", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                yield return (line[7..eq], line[(eq + 1)..]);
            }
        }
    }
}
