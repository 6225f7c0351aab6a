using System.CommandLine;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali keys init|rotate|rewrap</c>: the local key file and the store's data keys. Every subcommand takes the
/// key file from --key-file or $EVENTUALI_KEY_FILE and prints one JSON object.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("keys", "Manage the key file and the store's data keys (field encryption).")
        {
            Init(io), Rotate(io), Rewrap(io),
        };
        return command;
    }

    private static Command Init(CliIo io)
    {
        var database = CommonOptions.Database();
        var command = new Command("init", "Create the key file (mode 0600) and the store's key tables.") { database };
        command.SetAction(async (parse, ct) =>
        {
            var path = KeyFileOption.Required("keys init");
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            // The store first: a bad URL then leaves no key file behind.
            var store = await EventStore.CreateAsync(url, EventStoreOptions.Default, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var keys = LocalKeyFile.Create(path);
                var encryption = FieldEncryption.Create(store, new FieldEncryptionOptions(keys));
                var storeId = await encryption.Keys.GetStoreIdAsync(ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(Json.Object(json =>
                {
                    json.WriteString("keyFile", keys.Path);
                    json.WriteString("activeKeyId", keys.ActiveKeyId);
                    json.WriteString("storeId", storeId);
                })).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rotate(CliIo io)
    {
        var database = CommonOptions.Database();
        var subject = new Option<string?>("--subject") { Description = "Rotate this subject's data key instead of the key-encryption key.", HelpName = "id" };
        var command = new Command("rotate", "Add a new key-encryption key and make it active (old keys keep decrypting until 'keys rewrap'), or with --subject make a new data key version for one subject.")
        {
            database, subject,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = KeyFileOption.Required("keys rotate");
            if (parse.GetValue(subject) is not { } id)
            {
                var keys = LocalKeyFile.Load(path);
                var previous = keys.ActiveKeyId;
                var added = keys.AddKey();
                keys.Promote(added);
                await io.Out.WriteLineAsync(Json.Object(json =>
                {
                    json.WriteString("previousKeyId", previous);
                    json.WriteString("activeKeyId", added);
                })).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var store = AuditOption.Apply(await EventStore.OpenExistingAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), EventStoreOptions.Default, ct).ConfigureAwait(false));
            await using (store.ConfigureAwait(false))
            {
                var version = await KeyFileOption.Encryption(store).RotateSubjectKeyAsync(id, ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(Json.Object(json =>
                {
                    json.WriteString("subject", id);
                    json.WriteNumber("keyVersion", version);
                })).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rewrap(CliIo io)
    {
        var database = CommonOptions.Database();
        var command = new Command("rewrap", "Re-wrap every data key with the active key-encryption key (resumable, safe to run again).") { database };
        command.SetAction(async (parse, ct) =>
        {
            KeyFileOption.Required("keys rewrap");
            var store = AuditOption.Apply(await EventStore.OpenExistingAsync(CommonOptions.ResolveDatabase(parse.GetValue(database), io), EventStoreOptions.Default, ct).ConfigureAwait(false));
            await using (store.ConfigureAwait(false))
            {
                var result = await KeyFileOption.Encryption(store).RewrapAsync(ct).ConfigureAwait(false);
                await io.Out.WriteLineAsync(Json.Object(json =>
                {
                    json.WriteString("activeKeyId", result.ActiveKeyId);
                    json.WriteNumber("rewrapped", result.Rewrapped);
                    json.WriteNumber("alreadyCurrent", result.AlreadyCurrent);
                    json.WriteNumber("skipped", result.Skipped);
                })).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
