using System.CommandLine;
using System.Globalization;
using Eventuali.Integrity;
using Eventuali.Security.Chain;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali checkpoint export --output FILE</c>: seals the tamper-evident log, signs a checkpoint at the sealed head
/// with the key file's signing key, stores it in the database and writes it to FILE, to be kept outside the database
/// and checked later with <c>eventuali verify --chain --checkpoint FILE</c>.
/// </summary>
internal static class CheckpointCommand
{
    public static Command Create(CliIo io)
    {
        var database = CommonOptions.Database();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the signed checkpoint (JSON).", HelpName = "file", Required = true };
        var export = new Command("export", "Seal the tamper-evident log, sign a checkpoint at its head, store it and write it to a file kept outside the database.")
        {
            database, output,
        };
        Examples.Add(export, "eventuali checkpoint export -d sqlite://events.db --key-file keys.json --output /safe/place/checkpoint.json");
        export.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var keyPath = KeyFileOption.Path
                ?? throw new UsageException($"checkpoint export signs with the key file's signing key: give --key-file PATH or set {KeyFileOption.Variable}.");
            var file = parse.GetValue(output)!;
            var keys = KeyFileOption.Load(keyPath);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            EventChainCheckpoint? checkpoint;
            await using (store.ConfigureAwait(false))
            {
                if (store.GetFeature<IEventChainStore>() is null)
                {
                    throw new UsageException($"the store at '{url}' keeps no tamper-evident log.");
                }

                checkpoint = await EventChainCheckpoints.CreateAsync(store, keys, TimeProvider.System, ct).ConfigureAwait(false);
            }

            if (checkpoint is null)
            {
                await io.Error.WriteLineAsync("eventuali: the log is empty: there is nothing to checkpoint yet.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await EventChainCheckpointFile.WriteAsync(checkpoint, file, ct).ConfigureAwait(false);
            await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Checkpoint at position {checkpoint.Position} (chain hash {Convert.ToHexStringLower(checkpoint.ChainHash.Span)[..16]}..., key '{checkpoint.KeyId}') written to {file}.")).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        return new Command("checkpoint", "Signed checkpoints of the tamper-evident log.") { export };
    }
}
