using System.Diagnostics;
using Eventuali.Typed;

namespace Eventuali.Cli.Demo;

/// <summary>Prints what a store holds and reads it back: streams, the global log, reloaded aggregates, filtered reads.</summary>
internal sealed class DemoReport(TextWriter output)
{
    public async Task WriteAsync(IEventStore store, CancellationToken ct)
    {
        var t0 = Stopwatch.GetTimestamp();
        var streams = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<string>();
        await foreach (var e in store.ReadAllAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            streams[e.StreamId] = e.StreamVersion;
            types[e.EventType] = types.GetValueOrDefault(e.EventType) + 1;
            rows.Add($"   {e.Position,4}  {e.StreamId,-16} {e.StreamVersion,3}  {e.EventType,-18} {e.Metadata.CorrelationId,-20} {e.Timestamp.UtcDateTime:HH:mm:ss.ffffff}");
        }

        var readAll = DemoScenario.Ms(t0);
        var head = await store.GetHeadPositionAsync(ct).ConfigureAwait(false);
        await Line($"   streams: {string.Join(", ", streams.Select(s => $"{s.Key} (version {s.Value})"))}").ConfigureAwait(false);
        await Line($"   event types: {string.Join(", ", types.Select(t => $"{t.Key} x{t.Value}"))}").ConfigureAwait(false);
        await Line($"   global log: {rows.Count} events, head position {head}, read with ReadAllAsync in {readAll}").ConfigureAwait(false);
        await Line($"   {"pos",4}  {"stream",-16} {"ver",3}  {"type",-18} {"correlation",-20} time (UTC)").ConfigureAwait(false);
        foreach (var row in rows)
        {
            await Line(row).ConfigureAwait(false);
        }

        await Line().ConfigureAwait(false);
        await Line("7. Reading back").ConfigureAwait(false);
        decimal total = 0;
        foreach (var id in (string[])["alice", "bob"])
        {
            var t1 = Stopwatch.GetTimestamp();
            var account = await store.LoadAsync<BankAccount>(id, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Account {id} is missing from the file.");
            await Line($"   reloaded {account.Owner,-13} from the file: version {account.Version}, balance {account.Balance,8:N2} ({DemoScenario.Ms(t1)})").ConfigureAwait(false);
            total += account.Balance;
        }

        await Line($"   total money across accounts: {total:N2} (opened 600.00, +250.00 +10.00 deposited, -30.00 -50.00 withdrawn; transfers net to zero)").ConfigureAwait(false);

        var t2 = Stopwatch.GetTimestamp();
        var inCategory = 0;
        await foreach (var _ in store.ReadAllAsync(filter: EventFilter.ForCategory("account-"), cancellationToken: ct).ConfigureAwait(false))
        {
            inCategory++;
        }

        await Line($"   category read 'account-': {inCategory} of {rows.Count} events ({DemoScenario.Ms(t2)}); the audit stream is left out").ConfigureAwait(false);

        var t3 = Stopwatch.GetTimestamp();
        var transfers = new List<string>();
        await foreach (var e in store.ReadAllAsync(filter: EventFilter.ForEventTypes("transfer-sent", "transfer-received"), cancellationToken: ct).ConfigureAwait(false))
        {
            transfers.Add($"{e.EventType} on {e.StreamId} at position {e.Position}");
        }

        await Line($"   type read transfer-sent/transfer-received: {string.Join("; ", transfers)} ({DemoScenario.Ms(t3)})").ConfigureAwait(false);

        var t4 = Stopwatch.GetTimestamp();
        var latest = new List<string>();
        await foreach (var e in store.ReadStreamAsync("account-alice", StreamVersion.End, 2, ReadDirection.Backward, ct).ConfigureAwait(false))
        {
            latest.Add($"v{e.StreamVersion} {e.EventType}");
        }

        await Line($"   backward read of account-alice, newest 2: {string.Join(", ", latest)} ({DemoScenario.Ms(t4)})").ConfigureAwait(false);
        await Line().ConfigureAwait(false);
        await Line("Try: eventuali read --database sqlite://eventuali-demo.db --stream account-alice").ConfigureAwait(false);
    }

    // A blank line ends a section: flush it, so each section shows as soon as it is done.
    private async Task Line(string text = "")
    {
        if (text.Length == 0)
        {
            await output.FlushAsync().ConfigureAwait(false);
        }

        await output.WriteLineAsync(text).ConfigureAwait(false);
    }
}
