using System.CommandLine;
using System.Globalization;
using Eventuali.Security.Encryption;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali gdpr erase|export|report</c>: crypto-shredding of one data subject, everything stored about one
/// subject (decrypted), and the state of the store's keys. Every subcommand needs the key file.
/// </summary>
internal static class GdprCommand
{
    public static Command Create(CliIo io) => new("gdpr", "Erase or export a data subject's personal data, or report on the store's keys.")
    {
        Erase(io), Export(io), Report(io),
    };

    private static Option<string> Subject() => new("--subject") { Description = "The data subject id.", Required = true, HelpName = "id" };

    private static Command Erase(CliIo io)
    {
        var database = CommonOptions.Database();
        var subject = Subject();
        var command = new Command("erase", "Crypto-shred a data subject: destroy its data keys (its encrypted data then reads as redacted), delete snapshots of its streams and the read-model documents written for it, redact dead-letter errors of its streams, append a DataSubjectErased fact. Safe to run again.")
        {
            database, subject,
        };
        command.SetAction((parse, ct) => WithEncryptionAsync(io, parse.GetValue(database), "gdpr erase", async encryption =>
        {
            var erasure = await encryption.EraseSubjectAsync(parse.GetRequiredValue(subject), ct).ConfigureAwait(false);
            await io.Out.WriteLineAsync(Json.Object(json =>
            {
                json.WriteString("subject", erasure.SubjectId);
                json.WriteString("erasedAt", Stamp(erasure.ErasedAt));
                json.WriteNumber("keysDestroyed", erasure.KeysDestroyed);
                json.WriteNumber("snapshotsDeleted", erasure.SnapshotsDeleted);
                json.WriteNumber("documentsDeleted", erasure.DocumentsDeleted);
                json.WriteNumber("errorsRedacted", erasure.ErrorsRedacted);
                json.WriteStartArray("streams");
                foreach (var s in erasure.Streams)
                {
                    json.WriteStringValue(s);
                }

                json.WriteEndArray();
            })).ConfigureAwait(false);
        }, ct));
        return command;
    }

    private static Command Export(CliIo io)
    {
        var database = CommonOptions.Database();
        var subject = Subject();
        var command = new Command("export", "Print every event about a data subject, decrypted, as JSON lines (erased subjects show the redaction marker), then every read-model document written for it, one line each: {\"readModel\":PROJECTION,\"key\":KEY,\"document\":{...}}.")
        {
            database, subject,
        };
        command.SetAction((parse, ct) => WithEncryptionAsync(io, parse.GetValue(database), "gdpr export", async encryption =>
        {
            var line = new EventJsonLine();
            await foreach (var e in encryption.ExportSubjectAsync(parse.GetRequiredValue(subject), ct).ConfigureAwait(false))
            {
                await io.Out.WriteLineAsync(line.Format(e)).ConfigureAwait(false);
            }

            foreach (var d in await encryption.ExportSubjectDocumentsAsync(parse.GetRequiredValue(subject), ct).ConfigureAwait(false))
            {
                await io.Out.WriteLineAsync(Json.Object(json =>
                {
                    json.WriteString("readModel", d.Projection);
                    json.WriteString("key", d.Key);
                    json.WritePropertyName("document");
                    json.WriteRawValue(d.Json);
                })).ConfigureAwait(false);
            }
        }, ct));
        return command;
    }

    private static Command Report(CliIo io)
    {
        var database = CommonOptions.Database();
        var command = new Command("report", "Report the store's data subjects, erased subjects, data keys and their ages, and how far the event chain is sealed, as JSON.") { database };
        command.SetAction((parse, ct) => WithEncryptionAsync(io, parse.GetValue(database), "gdpr report", async encryption =>
        {
            var report = await encryption.ReportAsync(ct).ConfigureAwait(false);
            var chain = await ChainStats.ReadAsync(encryption.Store, ct).ConfigureAwait(false);
            await io.Out.WriteLineAsync(Json.Object(json =>
            {
                json.WriteString("storeId", report.StoreId);
                json.WriteString("activeKeyId", report.ActiveKeyId);
                json.WriteNumber("subjects", report.DataKeys.Select(k => k.SubjectId).Distinct(StringComparer.Ordinal).Count());
                json.WriteStartArray("dataKeys");
                foreach (var k in report.DataKeys)
                {
                    json.WriteStartObject();
                    json.WriteString("subject", k.SubjectId);
                    json.WriteNumber("version", k.Version);
                    json.WriteString("kekId", k.KekId);
                    json.WriteString("createdAt", Stamp(k.CreatedAt));
                    json.WriteNumber("ageDays", Math.Round(k.Age.TotalDays, 3));
                    json.WriteBoolean("wrappedByActiveKey", k.KekId == report.ActiveKeyId);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("erasedSubjects");
                foreach (var e in report.ErasedSubjects)
                {
                    json.WriteStartObject();
                    json.WriteString("subject", e.SubjectId);
                    json.WriteString("erasedAt", Stamp(e.ErasedAt));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                if (chain is null)
                {
                    json.WriteNull("chain"); // nothing sealed: the tamper-evident log is not in use
                }
                else
                {
                    json.WriteStartObject("chain");
                    json.WriteNumber("sealedHead", chain.SealedHead);
                    json.WriteNumber("head", chain.Head);
                    json.WriteNumber("checkpoints", chain.Checkpoints);
                    json.WriteEndObject();
                }
            })).ConfigureAwait(false);
        }, ct));
        return command;
    }

    private static async Task<int> WithEncryptionAsync(CliIo io, string? database, string name, Func<FieldEncryption, Task> work, CancellationToken ct)
    {
        KeyFileOption.Required(name);
        var store = AuditOption.Apply(await EventStore.OpenExistingAsync(CommonOptions.ResolveDatabase(database, io), EventStoreOptions.Default, ct).ConfigureAwait(false));
        await using (store.ConfigureAwait(false))
        {
            await work(KeyFileOption.Encryption(store)).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
