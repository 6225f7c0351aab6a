using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary>keys init/rotate/rewrap, append --personal --subject, read and export through the key file, gdpr erase/export/report.</summary>
public sealed class SecurityCommandTests
{
    private const string Marker = "CLI-PLAINTEXT-5d1e";

    [Fact]
    public async Task Keys_append_read_rotate_rewrap_export_report_and_erase_on_a_sqlite_file()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("store.db");
        var keyFile = dir.File("keys.json");

        var init = await CliProcess.RunAsync(dir.Path, "keys", "init", "--database", db, "--key-file", keyFile);
        Assert.True(init.ExitCode == 0, init.ToString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        var firstKek = Property(init.Out, "activeKeyId");

        var again = await CliProcess.RunAsync(dir.Path, "keys", "init", "--database", db, "--key-file", keyFile);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);

        var withFlag = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "--key-file", keyFile, "-s", "customer-1", "-t", "registered",
            "--data", $$"""{"email":"one-{{Marker}}@example.org","name":"One {{Marker}}","tier":1}""", "--personal", "email,name", "--subject", "cust-1");
        Assert.True(withFlag.ExitCode == 0, withFlag.ToString());
        var env = new Dictionary<string, string?> { ["EVENTUALI_KEY_FILE"] = keyFile };
        var withEnv = await CliProcess.RunAsync(dir.Path, env, "append", "-d", db, "-s", "customer-2", "-t", "registered",
            "--data", """{"email":"two@example.org","tier":2}""", "--personal", "email", "--subject", "cust-2");
        Assert.True(withEnv.ExitCode == 0, withEnv.ToString());

        // Without the key the stored ciphertext is all there is; with it the plaintext comes back.
        var raw = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--stream", "customer-1");
        Assert.True(raw.ExitCode == 0, raw.ToString());
        Assert.DoesNotContain(Marker, raw.Out, StringComparison.Ordinal);
        Assert.Contains("$eventuali", raw.Out, StringComparison.Ordinal);
        var read = await CliProcess.RunAsync(dir.Path, env, "read", "-d", db, "--stream", "customer-1");
        Assert.Equal($"one-{Marker}@example.org", Data(read.OutLines[0]).GetProperty("email").GetString());
        var export = await CliProcess.RunAsync(dir.Path, env, "gdpr", "export", "-d", db, "--subject", "cust-1");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal($"One {Marker}", Data(Assert.Single(export.OutLines)).GetProperty("name").GetString());

        var rotate = await CliProcess.RunAsync(dir.Path, env, "keys", "rotate", "-d", db);
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Equal(firstKek, Property(rotate.Out, "previousKeyId"));
        var rewrap = await CliProcess.RunAsync(dir.Path, env, "keys", "rewrap", "-d", db);
        Assert.True(rewrap.ExitCode == 0, rewrap.ToString());
        Assert.Equal(2, JsonDocument.Parse(rewrap.Out).RootElement.GetProperty("rewrapped").GetInt32());
        var subjectRotate = await CliProcess.RunAsync(dir.Path, env, "keys", "rotate", "-d", db, "--subject", "cust-2");
        Assert.Equal(2, JsonDocument.Parse(subjectRotate.Out).RootElement.GetProperty("keyVersion").GetInt32());

        var erase = await CliProcess.RunAsync(dir.Path, env, "gdpr", "erase", "-d", db, "--subject", "cust-1");
        Assert.True(erase.ExitCode == 0, erase.ToString());
        Assert.Equal(1, JsonDocument.Parse(erase.Out).RootElement.GetProperty("keysDestroyed").GetInt32());
        var redacted = await CliProcess.RunAsync(dir.Path, env, "read", "-d", db, "--stream", "customer-1");
        Assert.Equal("[redacted]", Data(redacted.OutLines[0]).GetProperty("email").GetString());
        Assert.Equal(1, Data(redacted.OutLines[0]).GetProperty("tier").GetInt32());
        var other = await CliProcess.RunAsync(dir.Path, env, "read", "-d", db, "--stream", "customer-2");
        Assert.Equal("two@example.org", Data(other.OutLines[0]).GetProperty("email").GetString());

        var report = await CliProcess.RunAsync(dir.Path, env, "gdpr", "report", "-d", db);
        Assert.True(report.ExitCode == 0, report.ToString());
        var root = JsonDocument.Parse(report.Out).RootElement;
        Assert.Equal(1, root.GetProperty("subjects").GetInt32());
        Assert.Equal("cust-1", root.GetProperty("erasedSubjects")[0].GetProperty("subject").GetString());
        Assert.All(root.GetProperty("dataKeys").EnumerateArray(), k => Assert.True(k.GetProperty("wrappedByActiveKey").GetBoolean()));
        Assert.DoesNotContain(Marker, await File.ReadAllTextAsync(dir.File("store.db"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Personal_fields_without_a_key_file_or_subject_are_refused_and_nothing_is_stored()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("store.db");
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, "init", "--database", db)).ExitCode);
        var noKey = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "c-1", "-t", "t", "--data", """{"email":"x"}""", "--personal", "email", "--subject", "s-1");
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("--key-file", noKey.Error, StringComparison.Ordinal);
        var noSubject = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "c-1", "-t", "t", "--data", """{"email":"x"}""", "--personal", "email");
        Assert.Equal(2, noSubject.ExitCode);
        var missingFile = await CliProcess.RunAsync(dir.Path, "gdpr", "report", "-d", db, "--key-file", dir.File("nope.json"));
        Assert.Equal(1, missingFile.ExitCode);
        Assert.Contains("does not exist", missingFile.Error, StringComparison.Ordinal);
        var read = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "--all");
        Assert.Empty(read.OutLines);
    }

    private static string Property(string json, string name) => JsonDocument.Parse(json).RootElement.GetProperty(name).GetString()!;

    private static JsonElement Data(string line) => JsonDocument.Parse(line).RootElement.GetProperty("data");
}
