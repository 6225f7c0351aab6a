using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Eventuali.Cli.Tests;

/// <summary>query, stats, verify and the benchmark load test, run as a process.</summary>
public sealed class OperatorCommandTests
{
    [Fact]
    public async Task Stats_counts_streams_events_types_and_categories()
    {
        using var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        await TransferTests.Ok(dir, "import", "-d", "sqlite://s.db", "-i", "sample.jsonl");

        var stats = await TransferTests.Ok(dir, "stats", "-d", "sqlite://s.db", "--json");
        var root = JsonDocument.Parse(Assert.Single(stats.OutLines)).RootElement;
        Assert.Equal(3, root.GetProperty("streams").GetInt64());
        Assert.Equal(7, root.GetProperty("events").GetInt64());
        Assert.True(root.GetProperty("size_on_disk_bytes").GetInt64() >= new FileInfo(dir.File("s.db")).Length);
        Assert.Equal(1, root.GetProperty("event_types").GetProperty("order-paid").GetInt64());
        Assert.Equal(7, root.GetProperty("event_types").EnumerateObject().Count());
        var order = root.GetProperty("categories").GetProperty("order");
        Assert.Equal(1, order.GetProperty("streams").GetInt64());
        Assert.Equal(4, order.GetProperty("events").GetInt64());
        Assert.Equal(1, root.GetProperty("categories").GetProperty("").GetProperty("events").GetInt64());

        var text = await TransferTests.Ok(dir, "stats", "-d", "sqlite://s.db");
        Assert.Contains(text.OutLines, l => l.StartsWith("Events", StringComparison.Ordinal) && l.EndsWith(" 7", StringComparison.Ordinal));
        Assert.Contains(text.OutLines, l => l.StartsWith("(none)", StringComparison.Ordinal));

        var memory = await TransferTests.Ok(dir, "stats", "-d", "memory://", "--json");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(memory.Out).RootElement.GetProperty("size_on_disk_bytes").ValueKind);
    }

    [Fact]
    public async Task Verify_passes_a_sound_store_and_names_every_problem_in_a_damaged_one()
    {
        using var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        await TransferTests.Ok(dir, "import", "-d", "sqlite://v.db", "-i", "sample.jsonl");
        var sound = await TransferTests.Ok(dir, "verify", "-d", "sqlite://v.db");
        Assert.Contains("Checked 7 events in 3 streams", sound.Out, StringComparison.Ordinal);
        Assert.Contains("OK.", sound.Out, StringComparison.Ordinal);

        // Damage the file as a faulty tool could: a version gap (so later versions come out of order) and an unparseable JSON payload.
        await using (var db = new SqliteConnection("Data Source=" + dir.File("v.db") + ";Pooling=False"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var damage = db.CreateCommand();
            damage.CommandText = """
                UPDATE events SET version = 9 WHERE position = 2;
                UPDATE events SET data = '{"owner":' WHERE position = 3;
                """;
            await damage.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var damaged = await CliProcess.RunAsync(dir.Path, "verify", "-d", "sqlite://v.db", "--json");
        Assert.True(damaged.ExitCode == 1, damaged.ToString());
        var root = JsonDocument.Parse(Assert.Single(damaged.OutLines)).RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        var problems = root.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("position 2 (stream 'order-1001' version 9): versions 2-8 are missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("position 3 (stream 'account-alice' version 1): the JSON payload does not parse", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("position 5 (stream 'order-1001' version 3): version 3 appears again or out of order after version 9", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("position 6 (stream 'order-1001' version 4): version 4 appears again or out of order after version 9", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);
        Assert.Equal(problems.Count, root.GetProperty("problem_count").GetInt32());
    }

    [Fact]
    public async Task Verify_accepts_a_stream_whose_history_starts_above_version_1()
    {
        using var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        await TransferTests.Ok(dir, "import", "-d", "sqlite://t.db", "-i", "sample.jsonl");
        await using (var db = new SqliteConnection("Data Source=" + dir.File("t.db") + ";Pooling=False"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var truncate = db.CreateCommand();
            truncate.CommandText = "DELETE FROM events WHERE position IN (1, 2)";
            await truncate.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var result = await TransferTests.Ok(dir, "verify", "-d", "sqlite://t.db");
        Assert.Contains("Checked 5 events in 3 streams", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_filters_by_stream_versions_type_category_and_time_in_every_output_form()
    {
        using var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        await TransferTests.Ok(dir, "import", "-d", "sqlite://q.db", "-i", "sample.jsonl");

        var range = await TransferTests.Ok(dir, "query", "-d", "sqlite://q.db", "--aggregate-id", "order-1001", "--from-version", "2", "--to-version", "3");
        Assert.Equal([2L, 3L], range.OutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("version").GetInt64()));

        var typed = await TransferTests.Ok(dir, "query", "-d", "sqlite://q.db", "--category", "order-", "--type", "order-paid", "--type", "order-shipped", "--json");
        var array = JsonDocument.Parse(typed.Out).RootElement;
        Assert.Equal(["order-paid", "order-shipped"], array.EnumerateArray().Select(e => e.GetProperty("eventType").GetString()));

        var timed = await TransferTests.Ok(dir, "query", "-d", "sqlite://q.db", "--since", "2024-01-03T00:00:00Z", "--until", "2024-01-04T10:00:00.25Z", "--jsonl");
        Assert.Equal(["account-opened", "scan-attached"], timed.OutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("eventType").GetString()));

        var table = await TransferTests.Ok(dir, "query", "-d", "sqlite://q.db", "--stream", "account-alice", "--table");
        Assert.Equal(4, table.OutLines.Length);
        Assert.StartsWith("POSITION", table.OutLines[0], StringComparison.Ordinal);
        Assert.Contains("<application/octet-stream, 6 bytes>", table.OutLines[2], StringComparison.Ordinal);
        Assert.Equal("(2 events)", table.OutLines[3]);

        var empty = await TransferTests.Ok(dir, "query", "-d", "sqlite://q.db", "--stream", "nope", "--json");
        Assert.Equal(0, JsonDocument.Parse(empty.Out).RootElement.GetArrayLength());

        foreach (var bad in (string[][])[["--from-version", "2"], ["--stream", "s", "--category", "c"], ["--json", "--table"], ["--since", "someday"]])
        {
            var result = await CliProcess.RunAsync(dir.Path, ["query", "-d", "sqlite://q.db", .. bad]);
            Assert.True(result.ExitCode == 2, string.Join(' ', bad) + "\n" + result);
            Assert.Single(result.ErrorLines);
        }
    }

    [Fact]
    public async Task Load_test_reports_the_achieved_rate_and_latency_percentiles()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("load.db");
        var result = await TransferTests.Ok(dir, "benchmark", "-d", db, "--duration", "1500ms", "--events-per-second", "200", "--concurrency", "4", "--batch", "10", "--durability", "relaxed", "--json");
        var root = JsonDocument.Parse(Assert.Single(result.OutLines)).RootElement;
        Assert.Equal("load", root.GetProperty("mode").GetString());
        Assert.Equal(300, root.GetProperty("events").GetInt64());
        Assert.Equal(200, root.GetProperty("target_events_per_sec").GetInt32());
        var achieved = root.GetProperty("events_per_sec").GetDouble();
        var seconds = root.GetProperty("seconds").GetDouble();

        // The pacer never runs ahead of the target; how far a busy machine falls behind it is not the test's business.
        Assert.True(achieved is > 0 and <= 210, $"achieved {achieved}/s for a 200/s target: the pacer runs ahead of the rate");
        Assert.True(seconds >= 1.49, $"{seconds} s for a 1.5 s run");
        Assert.InRange(achieved * seconds, 300 * 0.99, 300 * 1.01);
        var p50 = root.GetProperty("p50_ms").GetDouble();
        var p99 = root.GetProperty("p99_ms").GetDouble();
        Assert.True(p50 > 0 && p99 >= p50 && root.GetProperty("max_ms").GetDouble() >= p99);

        // The events are really in the store: 200 warm-up appends and the 300 timed ones.
        var stats = JsonDocument.Parse((await TransferTests.Ok(dir, "stats", "-d", db, "--json")).Out).RootElement;
        Assert.Equal(500, stats.GetProperty("events").GetInt64());
        var verify = await TransferTests.Ok(dir, "verify", "-d", db);
        Assert.Contains("OK.", verify.Out, StringComparison.Ordinal);

        var usage = await CliProcess.RunAsync(dir.Path, "benchmark", "--duration", "2s");
        Assert.True(usage.ExitCode == 2, usage.ToString());
    }
}
