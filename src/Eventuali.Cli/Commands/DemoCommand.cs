using System.CommandLine;
using Eventuali.Cli.Demo;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali demo</c>: bank accounts on a fresh ./eventuali-demo.db, with what was stored and read back.</summary>
internal static class DemoCommand
{
    public const string FileName = "eventuali-demo.db";

    public static Command Create(CliIo io)
    {
        var command = new Command("demo", $"Run a small bank-account domain on a fresh ./{FileName} and show what was stored and read back.");
        Examples.Add(command, "eventuali demo", "eventuali read -d sqlite://eventuali-demo.db --stream account-alice");
        command.SetAction(async (_, ct) =>
        {
            var path = Path.GetFullPath(FileName);
            var deleted = DeleteDemoFiles(path);
            await new DemoScenario(io.Out, "sqlite://" + path, deleted).RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    // Every run starts clean: the previous demo file and its WAL side files go first.
    private static bool DeleteDemoFiles(string path)
    {
        var existed = File.Exists(path);
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            File.Delete(path + suffix);
        }

        return existed;
    }
}
