using System.Globalization;
using Eventuali.Typed;

namespace Eventuali.Cli.Schema;

/// <summary>Reads every stored event of the types that have upcasters (and their aliases) through the registry, writing nothing, and reports the failures.</summary>
internal static class UpcastDryRun
{
    private const int MaxListed = 20;

    public static async Task<int> RunAsync(CliIo io, EventTypeRegistry types, IEventStore store, CancellationToken ct)
    {
        var upcast = types.RegisteredTypes.Where(p => types.UpcastTargetOf(p.Value) is not null).ToList();
        var names = upcast.Select(p => p.Key).Concat(types.Aliases.Where(a => upcast.Any(u => u.Value == a.Value)).Select(a => a.Key)).ToArray();
        var c = CultureInfo.InvariantCulture;
        if (names.Length == 0)
        {
            await io.Out.WriteLineAsync("upcast dry run: no upcasters are registered; nothing to run.").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        long read = 0, failed = 0;
        var listed = new List<string>();
        await foreach (var e in store.ReadAllAsync(filter: EventFilter.ForEventTypes(names), cancellationToken: ct).ConfigureAwait(false))
        {
            read++;
            try
            {
                types.Deserialize(e);
            }
            catch (EventDeserializationException ex)
            {
                failed++;
                if (listed.Count < MaxListed)
                {
                    listed.Add(string.Create(c, $"FAILED position {e.Position} (stream '{e.StreamId}' version {e.StreamVersion}, {e.EventType}): {ex.InnerException?.Message ?? ex.Message}"));
                }
            }
        }

        await io.Out.WriteLineAsync(string.Create(c, $"upcast dry run: {read:N0} stored event(s) of {string.Join(", ", names)} read through their upcasters; {failed:N0} failed; nothing written.")).ConfigureAwait(false);
        foreach (var line in listed)
        {
            await io.Out.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (failed > listed.Count)
        {
            await io.Out.WriteLineAsync(string.Create(c, $"... and {failed - listed.Count:N0} more.")).ConfigureAwait(false);
        }

        return failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }
}
