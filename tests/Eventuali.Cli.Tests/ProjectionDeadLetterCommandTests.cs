using System.Globalization;
using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Cli.Tests;

/// <summary><c>projections dead-letters list|retry|delete</c> and the replay guard, against a SQLite file with a daemon in this process.</summary>
public sealed class ProjectionDeadLetterCommandTests
{
    /// <summary>Fails on amounts divisible by 10 until fixed.</summary>
    private sealed class Picky : Projection
    {
        public Picky()
            : base("picky")
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 1 };
            On("deposited", async (e, ctx, ct) =>
            {
                var amount = JsonDocument.Parse(e.Data).RootElement.GetProperty("amount").GetInt32();
                if (amount % 10 == 0 && !Fixed)
                {
                    throw new InvalidOperationException($"cannot take {amount}");
                }

                await ctx.Documents.PutAsync("a" + amount.ToString(CultureInfo.InvariantCulture), "{}", ct);
            });
        }

        public bool Fixed { get; set; }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement[]> ListAsync(string dir, string db)
    {
        var list = await CliProcess.RunAsync(dir, "projections", "dead-letters", "list", "picky", "-d", db, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using var json = JsonDocument.Parse(list.Out);
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<JsonElement[]> UntilAsync(string dir, string db, Func<JsonElement[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var letters = await ListAsync(dir, db);
            if (done(letters) || DateTime.UtcNow > deadline)
            {
                return letters;
            }

            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task Dead_letters_are_listed_retried_and_deleted_and_a_replay_past_the_head_is_refused()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("d.db");
        await using var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct);
        for (var i = 1; i <= 30; i++)
        {
            await store.AppendAsync($"acct-{i % 3}", ExpectedVersion.Any, [EventData.Json("deposited", $$"""{"amount":{{i}}}""")], Ct);
        }

        var projection = new Picky();
        await using var daemon = new ProjectionDaemon(store, [projection], new ProjectionDaemonOptions { NodeId = "n", PollInterval = TimeSpan.FromMilliseconds(20) });
        await daemon.StartAsync(Ct);
        await daemon.WaitForCatchUpAsync("picky", Ct);

        var letters = await ListAsync(dir.Path, db);
        Assert.Equal(3, letters.Length);
        Assert.All(letters, l => Assert.Contains("cannot take", l.GetProperty("error").GetString(), StringComparison.Ordinal));
        var text = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "list", "picky", "-d", db);
        Assert.StartsWith("ID", text.OutLines[0], StringComparison.Ordinal);
        Assert.Equal(4, text.OutLines.Length);

        // Still failing: kept with one more attempt.
        var first = letters[0].GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var retry = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "retry", "picky", "--id", first, "-d", db);
        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Contains("retry of 1 dead letter", retry.Out, StringComparison.Ordinal);
        letters = await UntilAsync(dir.Path, db, l => l[0].GetProperty("attempts").GetInt32() == 2);
        Assert.Equal((3, 2, false), (letters.Length, letters[0].GetProperty("attempts").GetInt32(), letters[0].GetProperty("retryRequested").GetBoolean()));

        // Acknowledge one, then retry the rest with the handler fixed.
        var delete = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "delete", "picky", "--id", first, "-d", db);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Equal(2, (await ListAsync(dir.Path, db)).Length);
        projection.Fixed = true;
        retry = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "retry", "picky", "--all", "-d", db);
        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Empty(await UntilAsync(dir.Path, db, l => l.Length == 0));
        Assert.NotNull(await store.GetProjectionStore().GetProjectionDocumentAsync("picky", "a20", Ct));
        Assert.Null(await store.GetProjectionStore().GetProjectionDocumentAsync("picky", "a10", Ct));
        var none = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "delete", "picky", "--all", "-d", db);
        Assert.Contains("Deleted 0 dead letter(s)", none.Out, StringComparison.Ordinal);

        // Errors: the selection, an unknown id, an unknown projection.
        var neither = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "delete", "picky", "-d", db);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("either --id ID", neither.Error, StringComparison.Ordinal);
        var both = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "retry", "picky", "--id", "1", "--all", "-d", db);
        Assert.Equal(2, both.ExitCode);
        var gone = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "retry", "picky", "--id", first, "-d", db);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"no dead letter with id {first}", gone.Error, StringComparison.Ordinal);
        var unknown = await CliProcess.RunAsync(dir.Path, "projections", "dead-letters", "list", "nope", "-d", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No projection named 'nope'", unknown.Error, StringComparison.Ordinal);

        // A replay from past the head is refused and changes nothing.
        var head = await store.GetHeadPositionAsync(Ct);
        var past = await CliProcess.RunAsync(dir.Path, "replay", "--projection", "picky", "--from-position", "999999", "-d", db);
        Assert.Equal(2, past.ExitCode);
        Assert.Contains($"--from-position 999999 is past the head of the log ({head})", past.Error, StringComparison.Ordinal);
        var status = (await store.GetProjectionStatusAsync("picky", Ct))!;
        Assert.Equal((head, (long?)null), (status.Position, status.RebuildRequestedFrom));
    }
}
