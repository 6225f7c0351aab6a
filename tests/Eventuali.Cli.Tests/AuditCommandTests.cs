using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Eventuali.Cli.Tests;

/// <summary><c>--audit</c> on any command, <c>eventuali audit list</c> and <c>eventuali audit verify</c>, run as a process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AuditCommandTests
{
    [Fact]
    public async Task Audited_commands_are_listed_with_their_actor_and_an_edited_entry_fails_verify_with_exit_code_3()
    {
        using var dir = new TempDirectory();
        await TransferTests.Ok(dir, "--audit", "full", "--audit-actor", "alice", "append", "-d", "sqlite://a.db", "-s", "order-1", "-t", "placed", "--data", """{"secret":"AUDIT-CLI-MARKER"}""", "--actor", "web");
        await TransferTests.Ok(dir, "read", "-d", "sqlite://a.db", "-s", "order-1");
        var env = new Dictionary<string, string?> { ["EVENTUALI_AUDIT"] = "full", ["EVENTUALI_ACTOR"] = "bob" };
        var read = await CliProcess.RunAsync(dir.Path, env, "read", "-d", "sqlite://a.db", "-s", "order-1");
        Assert.True(read.ExitCode == 0, read.ToString());

        var list = await TransferTests.Ok(dir, "audit", "list", "-d", "sqlite://a.db");
        Assert.Equal(2, list.OutLines.Length);
        Assert.Equal(new[] { "1", "alice", "APPEND", "append", "order-1", "ok", "1" }, Fields(list.OutLines[0]));
        Assert.Equal(new[] { "2", "bob", "READ", "read-stream", "order-1", "ok", "1" }, Fields(list.OutLines[1]));
        Assert.DoesNotContain("AUDIT-CLI-MARKER", list.Out, StringComparison.Ordinal);

        var json = await TransferTests.Ok(dir, "audit", "list", "-d", "sqlite://a.db", "--from", "2", "--json");
        var entry = JsonDocument.Parse(Assert.Single(json.OutLines)).RootElement;
        Assert.Equal(("bob", "READ", "succeeded"), (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("outcome").GetString()));

        var intact = await TransferTests.Ok(dir, "audit", "verify", "-d", "sqlite://a.db");
        Assert.Contains("Audit log intact: 2 entries", intact.Out, StringComparison.Ordinal);

        await using (var db = new SqliteConnection("Data Source=" + dir.File("a.db") + ";Pooling=False"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = db.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'carol' WHERE position = 1;";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var damaged = await CliProcess.RunAsync(dir.Path, "audit", "verify", "-d", "sqlite://a.db");
        Assert.True(damaged.ExitCode == 3, damaged.ToString());
        Assert.Contains("audit entry 1", Assert.Single(damaged.OutLines), StringComparison.Ordinal);
        Assert.StartsWith("eventuali: ", Assert.Single(damaged.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_audit_mode_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var bad = await CliProcess.RunAsync(dir.Path, "--audit", "sampled:2", "read", "-d", "memory://", "--all");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("--audit", Assert.Single(bad.ErrorLines), StringComparison.Ordinal);
    }

    // The tab-separated fields without the time column.
    private static string[] Fields(string line) => [.. line.Split('\t').Where((_, i) => i != 1)];
}
