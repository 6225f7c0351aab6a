using System.Text.Json;

namespace Eventuali.Cli.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Init_append_read_round_trip_on_a_sqlite_file()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("store.db");

        var init = await CliProcess.RunAsync(dir.Path, "init", "--database", db);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("Created SQLite store", init.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("store.db")));

        var first = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "--stream", "account-1", "--type", "opened", "--data", """{"owner":"alice","limit":100}""", "--expected-version", "no-stream", "--correlation-id", "corr-1", "--causation-id", "cause-1", "--actor", "tester");
        Assert.True(first.ExitCode == 0, first.ToString());
        using (var result = JsonDocument.Parse(first.Out))
        {
            Assert.Equal("account-1", result.RootElement.GetProperty("streamId").GetString());
            Assert.Equal(1, result.RootElement.GetProperty("streamVersion").GetInt64());
            Assert.True(result.RootElement.GetProperty("lastPosition").GetInt64() > 0);
        }

        var second = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "account-1", "-t", "deposited", "--data", """{"amount":12.5}""", "--expected-version", "1");
        Assert.True(second.ExitCode == 0, second.ToString());
        var other = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "audit-1", "-t", "noted", "--data", "[1,2,3]");
        Assert.True(other.ExitCode == 0, other.ToString());

        var stream = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--stream", "account-1");
        Assert.True(stream.ExitCode == 0, stream.ToString());
        Assert.Equal(2, stream.OutLines.Length);
        using (var line = JsonDocument.Parse(stream.OutLines[0]))
        {
            var e = line.RootElement;
            Assert.Equal("account-1", e.GetProperty("streamId").GetString());
            Assert.Equal(1, e.GetProperty("version").GetInt64());
            Assert.Equal("opened", e.GetProperty("eventType").GetString());
            Assert.Equal("corr-1", e.GetProperty("correlationId").GetString());
            Assert.Equal("cause-1", e.GetProperty("causationId").GetString());
            Assert.Equal("tester", e.GetProperty("actorId").GetString());
            Assert.True(Guid.TryParse(e.GetProperty("eventId").GetString(), out _));
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("timestamp").GetString(), out _));
            Assert.Equal("alice", e.GetProperty("data").GetProperty("owner").GetString());
        }

        var backward = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--stream", "account-1", "--backward", "--max-count", "1");
        Assert.True(backward.ExitCode == 0, backward.ToString());
        Assert.Single(backward.OutLines);
        Assert.Contains("\"version\":2", backward.OutLines[0], StringComparison.Ordinal);

        var all = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--all");
        Assert.Equal(3, all.OutLines.Length);
        var positions = all.OutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("position").GetInt64()).ToArray();
        Assert.Equal(positions.Order(), positions);

        var byType = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--all", "--type", "noted", "--type", "deposited");
        Assert.Equal(2, byType.OutLines.Length);
        var byCategory = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--all", "--category", "audit-");
        Assert.Single(byCategory.OutLines);
        Assert.Contains("\"data\":[1,2,3]", byCategory.OutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expected_version_conflict_exits_1_with_one_line_naming_stream_and_versions()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("store.db");
        var ok = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "order-7", "-t", "placed", "--data", "{}");
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var conflict = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "order-7", "-t", "paid", "--data", "{}", "--expected-version", "5");
        Assert.Equal(1, conflict.ExitCode);
        Assert.Empty(conflict.Out);
        var line = Assert.Single(conflict.ErrorLines);
        Assert.Contains("order-7", line, StringComparison.Ordinal);
        Assert.Contains("expected version 5", line, StringComparison.Ordinal);
        Assert.Contains("actual version 1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", conflict.Error, StringComparison.Ordinal);

        var stillOne = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--stream", "order-7");
        Assert.Single(stillOne.OutLines);
    }

    [Fact]
    public async Task Database_falls_back_to_the_environment_then_to_eventuali_db()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["EVENTUALI_DATABASE"] = "sqlite://" + dir.File("from-env.db") };
        var append = await CliProcess.RunAsync(dir.Path, env, "append", "-s", "s-1", "-t", "t", "--data", "{\"a\":1}");
        Assert.True(append.ExitCode == 0, append.ToString());
        Assert.True(File.Exists(dir.File("from-env.db")));
        Assert.False(File.Exists(dir.File("eventuali.db")));

        var read = await CliProcess.RunAsync(dir.Path, env, "read", "--all");
        Assert.Single(read.OutLines);

        // --database wins over the environment (a reading command creates nothing, so the missing file is named).
        var explicitDb = await CliProcess.RunAsync(dir.Path, env, "read", "--all", "-d", "sqlite://" + dir.File("other.db"));
        Assert.True(explicitDb.ExitCode == 1, explicitDb.ToString());
        Assert.Contains("No such store: the SQLite file '" + dir.File("other.db") + "'", explicitDb.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("other.db")));

        // Neither: sqlite://eventuali.db in the working directory.
        var fallback = await CliProcess.RunAsync(dir.Path, "init");
        Assert.True(fallback.ExitCode == 0, fallback.ToString());
        Assert.True(File.Exists(dir.File("eventuali.db")));
    }
}
