using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary><c>eventuali stream ...</c> against a real SQLite file, checked through <c>read</c> and <c>stream info</c>.</summary>
public sealed class StreamLifecycleTests
{
    [Fact]
    public async Task Delete_restore_truncate_archive_and_tombstone_round_trip()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("life.db");
        await AppendAsync(dir, db, "order-1", 5);
        await AppendAsync(dir, db, "order-2", 1);

        var truncate = await RunOkAsync(dir, "stream", "truncate", "-d", db, "-s", "order-1", "--before-version", "3", "--json");
        Assert.Equal(2, Json(truncate).GetProperty("removed").GetInt64());
        Assert.Equal(5, Json(truncate).GetProperty("streamVersion").GetInt64());
        Assert.Equal(new long[] { 3, 4, 5 }, await VersionsAsync(dir, db, "order-1"));
        Assert.Equal(4, (await RunOkAsync(dir, "read", "-d", db, "--all")).OutLines.Length);

        var archive = await RunOkAsync(dir, "stream", "archive", "-d", db, "-s", "order-1", "--before-version", "5", "--json");
        Assert.Equal(2, Json(archive).GetProperty("archived").GetInt64());
        Assert.Equal(new long[] { 5 }, await VersionsAsync(dir, db, "order-1"));

        var withArchive = await RunOkAsync(dir, "stream", "read", "-d", db, "-s", "order-1");
        Assert.Equal(new long[] { 3, 4, 5 }, Versions(withArchive));
        Assert.Equal(new long[] { 4, 3 }, Versions(await RunOkAsync(dir, "stream", "read", "-d", db, "-s", "order-1", "--archived-only", "--backward")));

        var delete = await RunOkAsync(dir, "stream", "delete", "-d", db, "-s", "order-1", "--json");
        Assert.Equal("soft", Json(delete).GetProperty("deleted").GetString());
        Assert.Empty(await VersionsAsync(dir, db, "order-1"));
        var info = await RunOkAsync(dir, "stream", "info", "-d", db, "-s", "order-1", "--json");
        Assert.Equal("soft-deleted", Json(info).GetProperty("status").GetString());
        Assert.Equal(5, Json(info).GetProperty("streamVersion").GetInt64());

        var again = await CliProcess.RunAsync(dir.Path, "stream", "delete", "-d", db, "-s", "order-1");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Single(again.ErrorLines);
        Assert.Contains("order-1", again.Error, StringComparison.Ordinal);

        var refused = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "order-1", "-t", "x", "--data", "{}");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("soft-deleted", refused.Error, StringComparison.Ordinal);

        var restore = await RunOkAsync(dir, "stream", "restore", "-d", db, "-s", "order-1", "--json");
        Assert.True(Json(restore).GetProperty("restored").GetBoolean());
        Assert.Equal(new long[] { 5 }, await VersionsAsync(dir, db, "order-1"));

        await RunOkAsync(dir, "stream", "delete", "-d", db, "-s", "order-1", "--tombstone");
        var tombstoned = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", "order-1", "-t", "x", "--data", "{}");
        Assert.True(tombstoned.ExitCode == 1, tombstoned.ToString());
        Assert.Contains("tombstone", tombstoned.Error, StringComparison.Ordinal);
        var all = await RunOkAsync(dir, "read", "-d", db, "--all");
        Assert.Single(all.OutLines);
        Assert.Contains("order-2", all.Out, StringComparison.Ordinal);

        var cannotRestore = await CliProcess.RunAsync(dir.Path, "stream", "restore", "-d", db, "-s", "order-1");
        Assert.True(cannotRestore.ExitCode == 1, cannotRestore.ToString());
    }

    [Fact]
    public async Task Hard_delete_frees_the_name_and_retention_applies_to_a_category()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("retention.db");
        await AppendAsync(dir, db, "order-1", 4);
        await AppendAsync(dir, db, "order-2", 2);
        await AppendAsync(dir, db, "user-1", 4);

        var result = await RunOkAsync(dir, "stream", "retention", "-d", db, "--category", "order-", "--max-count", "2", "--json");
        Assert.Equal(1, Json(result).GetProperty("streamsTruncated").GetInt32());
        Assert.Equal(2, Json(result).GetProperty("eventsRemoved").GetInt64());
        Assert.Equal(new long[] { 3, 4 }, await VersionsAsync(dir, db, "order-1"));
        Assert.Equal(4, (await VersionsAsync(dir, db, "user-1")).Length);

        var byAge = await RunOkAsync(dir, "stream", "retention", "-d", db, "-s", "user-1", "--max-age", "30d");
        Assert.Contains("Removed 0 event(s)", byAge.Out, StringComparison.Ordinal);

        await RunOkAsync(dir, "stream", "delete", "-d", db, "-s", "order-1", "--hard");
        Assert.Empty(await VersionsAsync(dir, db, "order-1"));
        await AppendAsync(dir, db, "order-1", 1);
        Assert.Equal(new long[] { 1 }, await VersionsAsync(dir, db, "order-1"));
    }

    [Theory]
    [InlineData("stream", "truncate", "-s", "a")]
    [InlineData("stream", "truncate", "-s", "a", "--before-version", "0")]
    [InlineData("stream", "retention", "--max-count", "3")]
    [InlineData("stream", "retention", "-s", "a")]
    [InlineData("stream", "retention", "-s", "a", "--max-age", "soon")]
    [InlineData("stream", "delete")]
    public async Task Bad_usage_exits_2_with_one_line(params string[] args)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, [.. args, "-d", "sqlite://" + dir.File("x.db")]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(result.ErrorLines);
    }

    [Theory]
    [InlineData("delete", "--tombstone")]
    [InlineData("restore", "--json")]
    [InlineData("truncate", "--before-version")]
    [InlineData("archive", "--before-version")]
    [InlineData("retention", "--max-age")]
    [InlineData("read", "--archived-only")]
    public async Task Help_shows_examples(string command, string option)
    {
        using var dir = new TempDirectory();
        var help = await CliProcess.RunAsync(dir.Path, "stream", command, "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Examples:", help.Out, StringComparison.Ordinal);
        Assert.Contains($"eventuali stream {command}", help.Out, StringComparison.Ordinal);
        Assert.Contains(option, help.Out, StringComparison.Ordinal);
    }

    private static async Task AppendAsync(TempDirectory dir, string db, string stream, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await RunOkAsync(dir, "append", "-d", db, "-s", stream, "-t", "happened", "--data", $$"""{"n":{{i}}}""");
        }
    }

    private static async Task<long[]> VersionsAsync(TempDirectory dir, string db, string stream)
        => Versions(await RunOkAsync(dir, "read", "-d", db, "-s", stream));

    private static long[] Versions(CliProcess.Result result)
        => [.. result.OutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("version").GetInt64())];

    private static async Task<CliProcess.Result> RunOkAsync(TempDirectory dir, params string[] args)
    {
        var result = await CliProcess.RunAsync(dir.Path, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static JsonElement Json(CliProcess.Result result) => JsonDocument.Parse(result.Out).RootElement.Clone();
}
