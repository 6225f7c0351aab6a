using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary>diagram, debug and the parquet and debezium export formats, as a process, with bad input.</summary>
public sealed class DevToolsCommandTests
{
    private static async Task<CliProcess.Result> Ok(TempDirectory dir, params string[] args)
    {
        var result = await CliProcess.RunAsync(dir.Path, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static async Task<CliProcess.Result> Fails(TempDirectory dir, int code, params string[] args)
    {
        var result = await CliProcess.RunAsync(dir.Path, args);
        Assert.True(result.ExitCode == code, result.ToString());
        Assert.StartsWith("eventuali: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        return result;
    }

    private static async Task<TempDirectory> SampleStoreAsync()
    {
        var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        await Ok(dir, "import", "-d", "sqlite://s.db", "-i", "sample.jsonl");
        return dir;
    }

    [Fact]
    public async Task Diagram_draws_the_causation_edge_with_its_latency_in_every_format()
    {
        using var dir = await SampleStoreAsync();

        var json = await Ok(dir, "diagram", "-d", "sqlite://s.db", "--format", "json");
        using var graph = JsonDocument.Parse(json.Out);
        Assert.Equal(7, graph.RootElement.GetProperty("eventsRead").GetInt64());
        var edge = Assert.Single(graph.RootElement.GetProperty("edges").EnumerateArray());
        Assert.Equal(("event:order-placed", "event:order-paid"), (edge.GetProperty("from").GetString(), edge.GetProperty("to").GetString()));
        Assert.Equal(54876.545m, edge.GetProperty("maxLatencyMs").GetDecimal()); // 03:05:00.000001 - 03:04:05.123456
        Assert.Equal(edge.GetRawText(), Assert.Single(graph.RootElement.GetProperty("slowestEdges").EnumerateArray()).GetRawText());

        var mermaid = await Ok(dir, "diagram", "-d", "sqlite://s.db");
        Assert.Equal("flowchart LR", mermaid.OutLines[0]);
        Assert.Contains(mermaid.OutLines, l => l.Contains("-->|\"1 · avg 54876.5 ms · max 54876.5 ms\"|", StringComparison.Ordinal));

        var dot = await Ok(dir, "diagram", "-d", "sqlite://s.db", "--category", "order-", "--format", "dot");
        Assert.Contains("\"event:order-placed\" -> \"event:order-paid\"", dot.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("account-opened", dot.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagram_refuses_an_unknown_format()
    {
        using var dir = await SampleStoreAsync();
        var result = await Fails(dir, 2, "diagram", "-d", "sqlite://s.db", "--format", "svg");
        Assert.Contains("svg", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_steps_the_demo_aggregate_and_raw_payloads()
    {
        using var dir = new TempDirectory();
        await Ok(dir, "demo");
        const string db = "sqlite://eventuali-demo.db";

        var json = await Ok(dir, "debug", "account-alice", "-d", db, "--aggregate", "BankAccount", "--to-version", "2", "--json");
        Assert.Equal(2, json.OutLines.Length);
        using (var second = JsonDocument.Parse(json.OutLines[1]))
        {
            Assert.Equal("BankAccount.Apply(MoneyDeposited)", second.RootElement.GetProperty("handler").GetString());
            Assert.Equal(750, second.RootElement.GetProperty("state").GetProperty("balance").GetDecimal());
            var balance = second.RootElement.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("path").GetString() == "$.balance");
            Assert.Equal((500m, 750m), (balance.GetProperty("before").GetDecimal(), balance.GetProperty("after").GetDecimal()));
        }

        var view = await Ok(dir, "debug", "account-alice", "-d", db, "--aggregate", "Eventuali.Cli.Demo.BankAccount");
        Assert.Contains("handler: BankAccount.Apply(AccountOpened)", view.Out, StringComparison.Ordinal);
        Assert.Contains("│ $.balance │ changed │ 500", view.Out, StringComparison.Ordinal);
        Assert.Contains("event(s) stepped.", view.OutLines[^1], StringComparison.Ordinal);

        var raw = await Ok(dir, "debug", "account-alice", "-d", db, "--json", "--to-version", "1");
        using var first = JsonDocument.Parse(Assert.Single(raw.OutLines));
        Assert.Equal("Alice Martin", first.RootElement.GetProperty("state").GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Debug_bad_input_names_what_was_wrong()
    {
        using var dir = new TempDirectory();
        await Ok(dir, "demo");
        const string db = "sqlite://eventuali-demo.db";
        await File.WriteAllTextAsync(dir.File("not.dll"), "x", TestContext.Current.CancellationToken);

        Assert.Contains("stream 'account-nobody' does not exist", (await Fails(dir, 1, "debug", "account-nobody", "-d", db)).Error, StringComparison.Ordinal);
        Assert.Contains("no aggregate type 'Nope' in Eventuali.Cli; aggregates there: Eventuali.Cli.Demo.BankAccount", (await Fails(dir, 2, "debug", "account-alice", "-d", db, "--aggregate", "Nope")).Error, StringComparison.Ordinal);
        Assert.Contains("--assembly 'missing.dll' does not exist", (await Fails(dir, 2, "debug", "account-alice", "-d", db, "--assembly", "missing.dll", "--aggregate", "X")).Error, StringComparison.Ordinal);
        Assert.Contains("--assembly 'not.dll' is not a .NET assembly", (await Fails(dir, 2, "debug", "account-alice", "-d", db, "--assembly", "not.dll", "--aggregate", "X")).Error, StringComparison.Ordinal);
        Assert.Contains("--projection needs --assembly", (await Fails(dir, 2, "debug", "account-alice", "-d", db, "--projection", "P")).Error, StringComparison.Ordinal);
        await Fails(dir, 2, "debug", "account-alice", "-d", db, "--to-version", "0");
    }

    [Fact]
    public async Task Parquet_export_is_incremental_and_refuses_a_file_target_without_touching_the_store()
    {
        using var dir = await SampleStoreAsync();
        var before = (await Ok(dir, "export", "-d", "sqlite://s.db")).Out;

        var first = await Ok(dir, "export", "-d", "sqlite://s.db", "--format", "parquet", "-o", "lake", "--json");
        using (var summary = JsonDocument.Parse(first.Out))
        {
            Assert.Equal(7, summary.RootElement.GetProperty("events").GetInt64());
            Assert.Equal(4, summary.RootElement.GetProperty("files").GetInt32()); // order on 01-02 and 01-04, account on 01-03, misc (no category) on 01-05
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, "lake", "date=2024-01-02", "category=order", "part-0000000000000000001.parquet")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "lake", "date=2024-01-05", "category=__HIVE_DEFAULT_PARTITION__", "part-0000000000000000001.parquet")));
        var again = await Ok(dir, "export", "-d", "sqlite://s.db", "--format", "parquet", "-o", "lake");
        Assert.StartsWith("Exported 0 events", again.Out, StringComparison.Ordinal);

        await File.WriteAllTextAsync(dir.File("target"), "keep", TestContext.Current.CancellationToken);
        var bad = await Fails(dir, 1, "export", "-d", "sqlite://s.db", "--format", "parquet", "-o", "target");
        Assert.Contains($"Parquet export target '{dir.File("target")}' is a file", bad.Error, StringComparison.Ordinal);
        Assert.Equal("keep", await File.ReadAllTextAsync(dir.File("target"), TestContext.Current.CancellationToken));
        Assert.Equal(before, (await Ok(dir, "export", "-d", "sqlite://s.db")).Out);

        Assert.Contains("--format parquet needs --output DIRECTORY", (await Fails(dir, 2, "export", "-d", "sqlite://s.db", "--format", "parquet")).Error, StringComparison.Ordinal);
        Assert.Contains("--checkpoint is for --format parquet", (await Fails(dir, 2, "export", "-d", "sqlite://s.db", "--checkpoint", "c.json")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debezium_export_writes_one_change_event_per_event()
    {
        using var dir = await SampleStoreAsync();
        var result = await Ok(dir, "export", "-d", "sqlite://s.db", "--format", "debezium", "--server-name", "shop", "--category", "order-");

        Assert.Equal(4, result.OutLines.Length);
        using var paid = JsonDocument.Parse(result.OutLines[1]);
        Assert.Equal("c", paid.RootElement.GetProperty("op").GetString());
        Assert.Equal("order-paid", paid.RootElement.GetProperty("after").GetProperty("event_type").GetString());
        Assert.Equal(42.5, paid.RootElement.GetProperty("after").GetProperty("data").GetProperty("amount").GetDouble());
        Assert.Equal(("shop", "order"), (paid.RootElement.GetProperty("source").GetProperty("name").GetString(), paid.RootElement.GetProperty("source").GetProperty("table").GetString()));
    }
}
