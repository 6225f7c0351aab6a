using System.CommandLine;
using System.Globalization;

namespace Eventuali.Cli.Commands;

/// <summary><c>eventuali init</c>: creates the store (file and schema) or checks an existing one.</summary>
internal static class InitCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var command = new Command("init", "Create the store and its schema (or check an existing one) and say what was done.") { database };
        Examples.Add(command, "eventuali init -d sqlite://events.db", "eventuali init -d 'postgresql://app:secret@localhost/app?schema=orders'");
        command.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var file = StoreLocation.SqliteFile(url);
            var existed = file is not null && File.Exists(file);
            var store = await CommonOptions.OpenOrCreateAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
                var what = (file, existed) switch
                {
                    (not null, false) => $"Created SQLite store {file} (new file with the Eventuali schema).",
                    (not null, true) => $"Opened existing SQLite store {file}; schema present and up to date.",
                    _ when url.StartsWith("memory://", StringComparison.OrdinalIgnoreCase) => "Created an in-memory store (nothing persists after the command ends).",
                    _ => $"Opened store {StoreLocation.Display(url)}; schema created or verified.",
                };
                await io.Out.WriteLineAsync(what).ConfigureAwait(false);
                await io.Out.WriteLineAsync(head == 0
                    ? "The store is empty (head position 0)."
                    : string.Create(CultureInfo.InvariantCulture, $"The store holds events up to head position {head}.")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
