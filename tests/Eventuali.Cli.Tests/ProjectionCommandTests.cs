using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Cli.Tests;

/// <summary>The projection commands against a SQLite file while a daemon runs in this process (the CLI cannot run projection code).</summary>
public sealed class ProjectionCommandTests
{
    private sealed class Totals : Projection
    {
        private int _applied;

        public Totals()
            : base("totals")
        {
            On("deposited", async (e, ctx, ct) =>
            {
                Interlocked.Increment(ref _applied);
                var amount = JsonDocument.Parse(e.Data).RootElement.GetProperty("amount").GetInt32();
                var current = await ctx.Documents.GetAsync(e.StreamId, ct) is { } json ? JsonDocument.Parse(json).RootElement.GetProperty("total").GetInt32() : 0;
                await ctx.Documents.PutAsync(e.StreamId, $$"""{"total":{{current + amount}}}""", ct);
            });
        }

        public int Applied => Volatile.Read(ref _applied);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProjectionDaemonOptions Options => new() { NodeId = "test-node", PollInterval = TimeSpan.FromMilliseconds(20), LeaseRetryInterval = TimeSpan.FromMilliseconds(100) };

    private static async Task<IEventStore> FilledStoreAsync(string url)
    {
        var store = await EventStore.CreateAsync(url, EventStoreOptions.Default, Ct);
        for (var i = 1; i <= 30; i++)
        {
            await store.AppendAsync($"acct-{i % 3}", ExpectedVersion.Any, [EventData.Json("deposited", $$"""{"amount":{{i}}}""")], Ct);
        }

        return store;
    }

    [Fact]
    public async Task List_and_status_read_the_state_table_and_rebuild_and_replay_are_honoured_by_the_daemon()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("p.db");
        await using var store = await FilledStoreAsync(db);

        var empty = await CliProcess.RunAsync(dir.Path, "projections", "list", "-d", db);
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Contains("No projections", empty.Out, StringComparison.Ordinal);

        var projection = new Totals();
        await using var daemon = new ProjectionDaemon(store, [projection], Options);
        await daemon.StartAsync(Ct);
        var caughtUp = await daemon.WaitForCatchUpAsync("totals", Ct);
        var head = await store.GetHeadPositionAsync(Ct);

        var list = await CliProcess.RunAsync(dir.Path, "projections", "list", "-d", db, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using (var json = JsonDocument.Parse(list.Out))
        {
            var row = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("totals", row.GetProperty("name").GetString());
            Assert.Equal(head, row.GetProperty("position").GetInt64());
            Assert.Equal(0, row.GetProperty("lag").GetInt64());
            Assert.Equal("running", row.GetProperty("state").GetString());
            Assert.Equal("test-node", row.GetProperty("owner").GetString());
            Assert.Equal(0, row.GetProperty("deadLetters").GetInt64());
        }

        var text = await CliProcess.RunAsync(dir.Path, "projections", "list", "-d", db);
        Assert.Contains("NAME", text.OutLines[0], StringComparison.Ordinal);
        Assert.Matches($@"^totals\s+{head}\s+0\s+running\s+test-node\s+0$", text.OutLines[1]);

        var status = await CliProcess.RunAsync(dir.Path, "projections", "status", "totals", "-d", db);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("state:        running", status.Out, StringComparison.Ordinal);
        Assert.Contains($"position:     {head} (head {head}, lag 0)", status.Out, StringComparison.Ordinal);

        // rebuild --wait: the running daemon clears the documents and replays every event.
        var before = projection.Applied;
        var rebuild = await CliProcess.RunAsync(dir.Path, "projections", "rebuild", "totals", "-d", db, "--wait", "--json");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        using (var json = JsonDocument.Parse(rebuild.Out))
        {
            Assert.Equal("running", json.RootElement.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("rebuildRequestedFrom").ValueKind);
            Assert.Equal(head, json.RootElement.GetProperty("position").GetInt64());
        }

        Assert.Equal(before + 30, projection.Applied);
        Assert.Equal("""{"total":165}""", (await store.GetProjectionStore().GetProjectionDocumentAsync("totals", "acct-0", Ct))!.Replace(" ", "", StringComparison.Ordinal));

        // replay from a position: only the later events are applied again.
        var from = caughtUp.Position - 3;
        before = projection.Applied;
        var replay = await CliProcess.RunAsync(dir.Path, "replay", "--projection", "totals", "--from-position", from.ToString(System.Globalization.CultureInfo.InvariantCulture), "-d", db, "--wait");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("caught up", replay.Out, StringComparison.Ordinal);
        Assert.Equal(before + 3, projection.Applied);

        // Without --wait the request is only recorded; the daemon picks it up.
        await daemon.StopAsync(Ct);
        var recorded = await CliProcess.RunAsync(dir.Path, "projections", "rebuild", "totals", "-d", db);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        Assert.Contains("Requested", recorded.Out, StringComparison.Ordinal);
        var pending = await CliProcess.RunAsync(dir.Path, "projections", "status", "totals", "-d", db, "--json");
        using (var json = JsonDocument.Parse(pending.Out))
        {
            Assert.Equal("rebuilding", json.RootElement.GetProperty("state").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("rebuildRequestedFrom").GetInt64());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("owner").ValueKind);
        }

        // --wait with no daemon running gives up after the timeout, saying why.
        var stuck = await CliProcess.RunAsync(dir.Path, "projections", "rebuild", "totals", "-d", db, "--wait", "--timeout", "1");
        Assert.Equal(1, stuck.ExitCode);
        Assert.Single(stuck.ErrorLines, l => l.StartsWith("eventuali:", StringComparison.Ordinal));
        Assert.Contains("is a projection daemon running?", stuck.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_usage_and_unknown_projections_give_clear_errors_and_exit_codes()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("e.db");
        await using (await FilledStoreAsync(db))
        {
        }

        var unknown = await CliProcess.RunAsync(dir.Path, "projections", "status", "nope", "-d", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No projection named 'nope'", unknown.Error, StringComparison.Ordinal);

        var rebuildUnknown = await CliProcess.RunAsync(dir.Path, "projections", "rebuild", "nope", "-d", db);
        Assert.Equal(1, rebuildUnknown.ExitCode);

        var badName = await CliProcess.RunAsync(dir.Path, "projections", "status", "bad name!", "-d", db);
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("is not valid", badName.Error, StringComparison.Ordinal);

        var negative = await CliProcess.RunAsync(dir.Path, "replay", "--projection", "x", "--from-position", "-5", "-d", db);
        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("--from-position must be 0 or more", negative.Error, StringComparison.Ordinal);

        var missing = await CliProcess.RunAsync(dir.Path, "replay", "-d", db);
        Assert.Equal(2, missing.ExitCode);

        var help = await CliProcess.RunAsync(dir.Path, "projections", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("eventuali projections rebuild orders --wait", help.Out, StringComparison.Ordinal);
    }
}
