using static Eventuali.Sqlite.Tests.TestEvents;

namespace Eventuali.Sqlite.Tests;

public sealed class MultiProcessTests
{
    [Fact]
    public async Task Two_processes_create_and_append_to_one_file_with_every_append_present_once()
    {
        await using var temp = new TempSqliteStore();
        // Both processes find no file and race to create the schema.
        const int count = 1000;
        var workers = new[] { AppendWorker.Start(temp.FilePath, "a", count), AppendWorker.Start(temp.FilePath, "b", count) };
        var outputs = await Task.WhenAll(workers.Select(async p =>
        {
            var stdout = p.StandardOutput.ReadToEndAsync(Ct);
            var stderr = p.StandardError.ReadToEndAsync(Ct);
            await p.WaitForExitAsync(Ct);
            return (Code: p.ExitCode, Out: await stdout, Err: await stderr);
        }));

        foreach (var (code, _, err) in outputs)
        {
            Assert.DoesNotContain("locked", err, StringComparison.OrdinalIgnoreCase);
            Assert.True(code == 0, err);
        }

        // The two processes were trying to append at the same time: their [start, end] intervals overlap.
        var spans = outputs.Select(o => o.Out.Split('\n')).Select(lines => (
            Start: long.Parse(lines.Single(l => l.StartsWith("S ", StringComparison.Ordinal))[2..]),
            End: long.Parse(lines.Single(l => l.StartsWith("E ", StringComparison.Ordinal))[2..]))).ToList();
        Assert.True(spans[0].Start < spans[1].End && spans[1].Start < spans[0].End, $"workers did not overlap: {spans[0]} {spans[1]}");

        var acknowledged = outputs.SelectMany(o => o.Out.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length == 36).Select(Guid.Parse).ToList();
        Assert.Equal(2 * count * 3, acknowledged.Count);

        var store = await temp.OpenAsync();
        var all = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync();
        Assert.Equal(acknowledged.Order(), all.Select(e => e.EventId).Order());
        Assert.Equal(all.Count, all.Select(e => e.Position).Distinct().Count());
        var shared = await store.ReadStreamAsync("shared-1", cancellationToken: Ct).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 2 * count * 2).Select(i => (long)i), shared.Select(e => e.StreamVersion));
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(count, await store.GetStreamVersionAsync($"own-{name}", Ct));
        }
    }
}
