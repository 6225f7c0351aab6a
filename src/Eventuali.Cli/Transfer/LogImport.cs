using Eventuali.Import;

namespace Eventuali.Cli.Transfer;

/// <summary>What an import did.</summary>
internal readonly record struct ImportSummary(long Events, long Added, long AlreadyStored, long Streams);

/// <summary>
/// Imports an export file in two passes: the first reads every line and checks it (shape, fields, each stream's
/// versions contiguous) and writes nothing; the second writes, in file order, each run of consecutive events of
/// one stream with one timestamp (one original append) at its original versions.
/// </summary>
internal sealed class LogImport(string path)
{
    /// <summary>Most events per import call (one transaction).</summary>
    public const int MaxGroup = 1000;

    /// <summary>Checks the whole file; returns the number of events. Throws <see cref="ImportFileException"/> at the first bad line.</summary>
    public async Task<(long Events, long Streams)> ValidateAsync(Action<long> progress, CancellationToken ct)
    {
        var lastVersion = new Dictionary<string, long>(StringComparer.Ordinal);
        long events = 0;
        await foreach (var e in ReadAsync(ct).ConfigureAwait(false))
        {
            if (lastVersion.TryGetValue(e.StreamId, out var last) && e.Version != last + 1)
            {
                throw new ImportFileException(e.Line, $"stream '{e.StreamId}' goes from version {last} to {e.Version}; a stream's versions must follow each other in the file.");
            }

            lastVersion[e.StreamId] = e.Version;
            if (++events % 1000 == 0)
            {
                progress(events);
            }
        }

        progress(events);
        return (events, lastVersion.Count);
    }

    /// <summary>Writes the (validated) file. An event at or below <paramref name="headBefore"/> was already stored.</summary>
    public async Task<ImportSummary> WriteAsync(IEventImporter importer, long headBefore, Action<long> progress, CancellationToken ct)
    {
        var group = new List<ImportedEvent>(MaxGroup);
        var streams = new HashSet<string>(StringComparer.Ordinal);
        long events = 0, added = 0;
        await foreach (var e in ReadAsync(ct).ConfigureAwait(false))
        {
            if (group.Count > 0 && (group.Count == MaxGroup || group[0].StreamId != e.StreamId || group[0].Timestamp != e.Timestamp))
            {
                added += await FlushAsync(importer, group, headBefore, ct).ConfigureAwait(false);
                events += group.Count;
                progress(events);
                group.Clear();
            }

            group.Add(e);
            streams.Add(e.StreamId);
        }

        if (group.Count > 0)
        {
            added += await FlushAsync(importer, group, headBefore, ct).ConfigureAwait(false);
            events += group.Count;
            progress(events);
        }

        return new ImportSummary(events, added, events - added, streams.Count);
    }

    private static async Task<long> FlushAsync(IEventImporter importer, List<ImportedEvent> group, long headBefore, CancellationToken ct)
    {
        var first = group[0];
        var batch = new EventData[group.Count];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = group[i].Event;
        }

        try
        {
            var result = await importer.ImportAsync(first.StreamId, ExpectedVersion.Exact(first.Version - 1), batch, first.Timestamp, ct).ConfigureAwait(false);
            return result.LastPosition > headBefore ? batch.Length : 0;
        }
        catch (Exception ex) when (ex is EventualiException or ArgumentException)
        {
            throw new ImportFileException(
                first.Line,
                $"the store refused stream '{first.StreamId}' versions {first.Version}-{first.Version + batch.Length - 1}: {ex.Message.Split(" (Parameter", 2)[0]} Events of earlier lines are stored; re-running the import adds only what is missing.");
        }
    }

    private async IAsyncEnumerable<ImportedEvent> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = ExportFiles.OpenReader(path);
        long line = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } text)
        {
            line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return EventLineParser.Parse(text, line);
            }
        }
    }
}
