using System.Runtime.Versioning;
using System.Text.Json;
using Eventuali.Security.Keys;
using Microsoft.Data.Sqlite;

namespace Eventuali.Cli.Tests;

/// <summary><c>eventuali verify --chain [--checkpoint FILE]</c> and <c>eventuali checkpoint export --output FILE</c>, run as a process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ChainCommandTests
{
    [Fact]
    public async Task An_intact_store_verifies_and_an_edited_event_is_reported_with_exit_code_3()
    {
        using var dir = await SampleAsync();
        var intact = await TransferTests.Ok(dir, "verify", "--chain", "-d", "sqlite://c.db");
        Assert.Contains("Chain intact: 7 events checked", intact.Out, StringComparison.Ordinal);
        Assert.Contains("signatures not checked", intact.Out, StringComparison.Ordinal);

        await ExecAsync(dir, "UPDATE events SET data = '{\"owner\":\"mallory\"}' WHERE position = 3;");
        var damaged = await CliProcess.RunAsync(dir.Path, "verify", "--chain", "-d", "sqlite://c.db");
        Assert.True(damaged.ExitCode == 3, damaged.ToString());
        var line = Assert.Single(damaged.OutLines);
        Assert.StartsWith("position 3:", line, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync(dir.Path, "verify", "--chain", "-d", "sqlite://c.db", "--json");
        Assert.Equal(3, json.ExitCode);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal("ChainMismatch", root.GetProperty("findings")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_exported_checkpoint_catches_a_log_truncated_from_the_end()
    {
        using var dir = await SampleAsync();
        LocalKeyFile.Create(dir.File("keys.json"));
        var export = await TransferTests.Ok(dir, "checkpoint", "export", "-d", "sqlite://c.db", "--key-file", "keys.json", "--output", "cp.json");
        Assert.Contains("Checkpoint at position 7", export.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("cp.json")));

        // Events, chain entries and stored checkpoints cut from the end: the database alone still looks consistent.
        await ExecAsync(dir, "DELETE FROM events WHERE position >= 6; DELETE FROM event_chain WHERE position >= 6; DELETE FROM chain_checkpoints;");
        var env = new Dictionary<string, string?> { ["EVENTUALI_KEY_FILE"] = dir.File("keys.json") };
        var alone = await CliProcess.RunAsync(dir.Path, env, "verify", "--chain", "-d", "sqlite://c.db");
        Assert.True(alone.ExitCode == 0, alone.ToString());

        var withFile = await CliProcess.RunAsync(dir.Path, env, "verify", "--chain", "-d", "sqlite://c.db", "--checkpoint", "cp.json");
        Assert.True(withFile.ExitCode == 3, withFile.ToString());
        Assert.Contains("position 7", Assert.Single(withFile.OutLines), StringComparison.Ordinal);
        Assert.Contains("ends at position 5", withFile.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_file_signed_by_another_key_or_altered_is_reported()
    {
        using var dir = await SampleAsync();
        LocalKeyFile.Create(dir.File("keys.json"));
        LocalKeyFile.Create(dir.File("other.json"));
        await TransferTests.Ok(dir, "checkpoint", "export", "-d", "sqlite://c.db", "--key-file", "other.json", "--output", "cp.json");
        await ExecAsync(dir, "DELETE FROM chain_checkpoints;");
        var foreign = await CliProcess.RunAsync(dir.Path, "verify", "--chain", "-d", "sqlite://c.db", "--key-file", "keys.json", "--checkpoint", "cp.json");
        Assert.True(foreign.ExitCode == 3, foreign.ToString());
        Assert.Contains("not the trusted signing key", Assert.Single(foreign.OutLines), StringComparison.Ordinal);

        var text = await File.ReadAllTextAsync(dir.File("cp.json"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("cp.json"), text.Replace("\"position\": 7", "\"position\": 6", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var altered = await CliProcess.RunAsync(dir.Path, "verify", "--chain", "-d", "sqlite://c.db", "--key-file", "other.json", "--checkpoint", "cp.json");
        Assert.True(altered.ExitCode == 3, altered.ToString());
        Assert.Contains("signature does not verify", Assert.Single(altered.OutLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_keys_and_files_are_clear_errors()
    {
        using var dir = await SampleAsync();
        var noKey = await CliProcess.RunAsync(dir.Path, "checkpoint", "export", "-d", "sqlite://c.db", "--output", "cp.json");
        Assert.True(noKey.ExitCode == 2, noKey.ToString());
        Assert.Contains("--key-file", noKey.Error, StringComparison.Ordinal);

        var checkpointWithoutKey = await CliProcess.RunAsync(dir.Path, "verify", "--chain", "-d", "sqlite://c.db", "--checkpoint", "cp.json");
        Assert.True(checkpointWithoutKey.ExitCode == 2, checkpointWithoutKey.ToString());

        var missingKeyFile = await CliProcess.RunAsync(dir.Path, "checkpoint", "export", "-d", "sqlite://c.db", "--key-file", "nope.json", "--output", "cp.json");
        Assert.True(missingKeyFile.ExitCode == 1, missingKeyFile.ToString());
        Assert.Contains("nope.json", missingKeyFile.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("cp.json")));

        LocalKeyFile.Create(dir.File("keys.json"));
        var missingCheckpoint = await CliProcess.RunAsync(dir.Path, "verify", "--chain", "-d", "sqlite://c.db", "--key-file", "keys.json", "--checkpoint", "none.json");
        Assert.True(missingCheckpoint.ExitCode == 1, missingCheckpoint.ToString());
        Assert.Contains("none.json", missingCheckpoint.Error, StringComparison.Ordinal);

        // Without --chain, verify keeps its own checks and refuses a checkpoint it would not read.
        var plain = await CliProcess.RunAsync(dir.Path, "verify", "-d", "sqlite://c.db", "--checkpoint", "cp.json");
        Assert.True(plain.ExitCode == 2, plain.ToString());
    }

    private static async Task<TempDirectory> SampleAsync()
    {
        var dir = new TempDirectory();
        TransferTests.WriteSample(dir.File("sample.jsonl"));
        await TransferTests.Ok(dir, "import", "-d", "sqlite://c.db", "-i", "sample.jsonl");
        return dir;
    }

    private static async Task ExecAsync(TempDirectory dir, string sql)
    {
        await using var db = new SqliteConnection("Data Source=" + dir.File("c.db") + ";Pooling=False");
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
