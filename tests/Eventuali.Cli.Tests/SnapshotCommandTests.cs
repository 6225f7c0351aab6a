using System.Text.Json;

namespace Eventuali.Cli.Tests;

public sealed class SnapshotCommandTests
{
    private const string Db = "sqlite://eventuali-demo.db";

    [Fact]
    public async Task Take_list_and_prune_snapshots_of_a_demo_account()
    {
        using var dir = new TempDirectory();
        var demo = await CliProcess.RunAsync(dir.Path, "demo");
        Assert.True(demo.ExitCode == 0, demo.ToString());

        var none = await CliProcess.RunAsync(dir.Path, "snapshot", "list", "-d", Db, "--stream", "account-alice");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("no snapshots of stream 'account-alice'", none.Out.Trim());

        var lz4 = await CliProcess.RunAsync(dir.Path, "snapshot", "take", "-d", Db, "--stream", "account-alice");
        Assert.True(lz4.ExitCode == 0, lz4.ToString());
        Assert.StartsWith("snapshot of account-alice at version 5 (position 9):", lz4.Out.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("lz4", lz4.Out.Trim(), StringComparison.Ordinal);

        var zstd = await CliProcess.RunAsync(dir.Path, "snapshot", "take", "-d", Db, "--stream", "account-bob", "--codec", "zstd", "--json");
        Assert.True(zstd.ExitCode == 0, zstd.ToString());
        using (var taken = JsonDocument.Parse(zstd.Out))
        {
            Assert.Equal("account-bob", taken.RootElement.GetProperty("stream").GetString());
            Assert.Equal("zstd", taken.RootElement.GetProperty("codec").GetString());
            Assert.Equal("account", taken.RootElement.GetProperty("aggregate_type").GetString());
            Assert.True(taken.RootElement.GetProperty("bytes").GetInt32() > 0);
        }

        var list = await CliProcess.RunAsync(dir.Path, "snapshot", "list", "-d", Db, "--stream", "account-alice", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using (var row = JsonDocument.Parse(Assert.Single(list.OutLines)))
        {
            Assert.Equal(5, row.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(1, row.RootElement.GetProperty("schema_version").GetInt32());
        }

        var prune = await CliProcess.RunAsync(dir.Path, "snapshot", "prune", "-d", Db, "--stream", "account-alice", "--keep", "0");
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Equal("deleted 1 snapshot(s) of 'account-alice', kept at most 0", prune.Out.Trim());
        var after = await CliProcess.RunAsync(dir.Path, "snapshot", "list", "-d", Db, "--stream", "account-alice", "--json");
        Assert.Empty(after.OutLines);

        // Events are untouched; Bob's snapshot too.
        Assert.Equal(5, (await CliProcess.RunAsync(dir.Path, "read", "-d", Db, "--stream", "account-alice")).OutLines.Length);
        Assert.Single((await CliProcess.RunAsync(dir.Path, "snapshot", "list", "-d", Db, "--stream", "account-bob", "--json")).OutLines);
    }

    [Fact]
    public async Task Bad_snapshot_commands_fail_with_one_clear_line()
    {
        using var dir = new TempDirectory();
        var demo = await CliProcess.RunAsync(dir.Path, "demo");
        Assert.True(demo.ExitCode == 0, demo.ToString());

        var other = await CliProcess.RunAsync(dir.Path, "snapshot", "take", "-d", Db, "--stream", "orders-1");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("knows the demo's bank account aggregate only", Assert.Single(other.ErrorLines), StringComparison.Ordinal);

        var missing = await CliProcess.RunAsync(dir.Path, "snapshot", "take", "-d", Db, "--stream", "account-nobody");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'account-nobody' does not exist", Assert.Single(missing.ErrorLines), StringComparison.Ordinal);

        var keep = await CliProcess.RunAsync(dir.Path, "snapshot", "prune", "-d", Db, "--stream", "account-alice", "--keep", "-1");
        Assert.Equal(2, keep.ExitCode);
        Assert.Contains("--keep must be 0 or more", keep.Error, StringComparison.Ordinal);

        var codec = await CliProcess.RunAsync(dir.Path, "snapshot", "take", "-d", Db, "--stream", "account-alice", "--codec", "gzip");
        Assert.Equal(2, codec.ExitCode);
        var noStream = await CliProcess.RunAsync(dir.Path, "snapshot", "list", "-d", Db);
        Assert.Equal(2, noStream.ExitCode);
        Assert.Contains("--stream", noStream.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Benchmark_load_aggregate_with_snapshots_loads_every_event()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "benchmark", "--workload", "load-aggregate", "--events", "600", "--batch", "300", "--snapshot-every", "100", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(600, doc.RootElement.GetProperty("events").GetInt64());

        var wrong = await CliProcess.RunAsync(dir.Path, "benchmark", "--workload", "append-batch", "--snapshot-every", "100");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("load-aggregate", wrong.Error, StringComparison.Ordinal);
    }
}
