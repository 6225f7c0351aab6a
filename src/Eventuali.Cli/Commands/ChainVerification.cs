using System.Globalization;
using Eventuali.Integrity;
using Eventuali.Security.Chain;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali verify --chain [--checkpoint FILE]</c>: seals the log up to the safe head, then checks the
/// tamper-evident chain and every checkpoint. One line per finding on stdout and exit code 3; exit 0 when intact.
/// </summary>
internal static class ChainVerification
{
    /// <summary>The exit code for a log whose chain or checkpoints do not match.</summary>
    public const int Tampered = 3;

    public static async Task<int> RunAsync(CliIo io, string url, string? checkpointFile, string? keyFile, bool json, CancellationToken ct)
    {
        if (checkpointFile is not null && keyFile is null)
        {
            throw new UsageException($"--checkpoint needs the signing key to check the file's signature: give --key-file PATH or set {KeyFileOption.Variable}.");
        }

        var keys = keyFile is null ? null : KeyFileOption.Load(keyFile);
        var external = checkpointFile is null ? null : await EventChainCheckpointFile.ReadAsync(checkpointFile, ct).ConfigureAwait(false);
        var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
        EventChainReport report;
        await using (store.ConfigureAwait(false))
        {
            if (store.GetFeature<IEventChainStore>() is null)
            {
                throw new UsageException($"the store at '{url}' keeps no tamper-evident log.");
            }

            var verifier = keys is null ? new EventChainVerifier(store) : await EventChainVerifier.CreateAsync(store, keys, ct).ConfigureAwait(false);
            report = await ProgressDisplay.RunAsync(io, "verifying chain", null, async progress =>
            {
                await new EventChainSealer(store).SealAsync(ct).ConfigureAwait(false);
                return await verifier.VerifyAsync(external is null ? null : [external], new Progress(progress), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        await io.Out.WriteLineAsync(json ? ToJson(report, keys is not null) : ToText(report, keys is not null)).ConfigureAwait(false);
        if (!report.IsIntact && !json)
        {
            await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"eventuali: the chain does not match: {report.FindingCount} finding(s).")).ConfigureAwait(false);
        }

        return report.IsIntact ? ExitCodes.Success : Tampered;
    }

    private static string ToText(EventChainReport r, bool signaturesChecked)
    {
        if (!r.IsIntact)
        {
            var lines = r.Findings.Select(f => f.Message).ToList();
            if (r.FindingCount > r.Findings.Count)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"... and {r.FindingCount - r.Findings.Count} more finding(s)"));
            }

            return string.Join(Environment.NewLine, lines);
        }

        return string.Create(CultureInfo.InvariantCulture, $"Chain intact: {r.EventsChecked:N0} events checked up to position {r.SealedHead}")
            + string.Create(CultureInfo.InvariantCulture, $" ({r.RemovedEntries:N0} removed by lifecycle operations), {r.CheckpointsChecked} checkpoint(s) checked")
            + (signaturesChecked ? "." : " by hash only (no key file: signatures not checked).");
    }

    private static string ToJson(EventChainReport r, bool signaturesChecked) => Json.Object(w =>
    {
        w.WriteBoolean("ok", r.IsIntact);
        w.WriteNumber("events", r.EventsChecked);
        w.WriteNumber("sealed_head", r.SealedHead);
        w.WriteNumber("removed", r.RemovedEntries);
        w.WriteNumber("checkpoints", r.CheckpointsChecked);
        w.WriteBoolean("signatures_checked", signaturesChecked);
        w.WriteNumber("finding_count", r.FindingCount);
        w.WriteStartArray("findings");
        foreach (var f in r.Findings)
        {
            w.WriteStartObject();
            w.WriteNumber("position", f.Position);
            w.WriteString("kind", f.Kind.ToString());
            w.WriteString("message", f.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
