namespace Eventuali.Cli.Tests;

/// <summary>Numbers, stream ids and JSON output in the user's words: range-checked options, one JSON encoder, no .NET suffixes.</summary>
public sealed class InputPolishTests
{
    [Theory]
    [InlineData("--events", "99999999999", "--events must be a whole number from 1 to 100,000,000; got '99999999999'.")]
    [InlineData("--events", "0", "--events must be a whole number from 1 to 100,000,000; got '0'.")]
    [InlineData("--events", "many", "--events must be a whole number from 1 to 100,000,000; got 'many'.")]
    [InlineData("--batch", "2147483647", "--batch must be a whole number from 1 to 100,000; got '2147483647'.")]
    [InlineData("--concurrency", "-3", "--concurrency must be a whole number from 1 to 10,000; got '-3'.")]
    [InlineData("--subscribers", "5000", "--subscribers must be a whole number from 1 to 1,000; got '5000'.")]
    public async Task Benchmark_numbers_out_of_range_are_usage_errors_in_the_users_words(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        var result = await CliProcess.RunAsync(dir.Path, "benchmark", "--workload", "append-single", option, value);
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal($"eventuali: {message} (see 'eventuali --help')", line);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Max_count_and_the_load_test_rate_are_range_checked_too()
    {
        using var dir = new TempDirectory();
        var read = await CliProcess.RunAsync(dir.Path, "read", "--all", "-d", "memory://", "--max-count", "99999999999");
        Assert.True(read.ExitCode == 2, read.ToString());
        Assert.Contains("--max-count must be a whole number from 1 to 2,147,483,647; got '99999999999'.", read.Error, StringComparison.Ordinal);

        var load = await CliProcess.RunAsync(dir.Path, "benchmark", "--duration", "1s", "--events-per-second", "0");
        Assert.True(load.ExitCode == 2, load.ToString());
        Assert.Contains("--events-per-second must be a whole number from 1 to 10,000,000; got '0'.", load.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("order\t1", "U+0009 at position 6")]
    [InlineData("order-\u00011", "U+0001 at position 7")]
    public async Task A_stream_id_with_a_control_character_is_refused_without_a_dotnet_suffix(string streamId, string where)
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("events.db");
        var result = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", streamId, "-t", "placed", "--data", "{}");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"eventuali: Stream id must not contain control characters; found {where}.", Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_and_read_print_non_ascii_stream_ids_the_same_way_as_utf8()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("events.db");
        const string stream = "kunde-müller-東京";
        var append = await CliProcess.RunAsync(dir.Path, "append", "-d", db, "-s", stream, "-t", "placed", "--data", "{\"city\":\"Zürich\"}");
        Assert.True(append.ExitCode == 0, append.ToString());
        Assert.Contains($"\"streamId\":\"{stream}\"", append.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00FC", append.Out, StringComparison.Ordinal);

        var read = await CliProcess.RunAsync(dir.Path, "read", "-d", db, "-s", stream);
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Contains($"\"streamId\":\"{stream}\"", read.Out, StringComparison.Ordinal);

        var info = await CliProcess.RunAsync(dir.Path, "stream", "info", "-d", db, "-s", stream, "--json");
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains(stream, info.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", info.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reserved_postgres_schema_is_refused_before_anything_is_installed()
    {
        using var dir = new TempDirectory();
        foreach (var schema in new[] { "information_schema", "pg_catalog" })
        {
            var url = PgScratch.ServerUrl + (PgScratch.ServerUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;
            var result = await CliProcess.RunAsync(dir.Path, "init", "-d", url);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.StartsWith($"eventuali: Schema name '{schema}' is not accepted: it is reserved by PostgreSQL", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
            Assert.DoesNotContain("unexpected", result.Error, StringComparison.Ordinal);
        }
    }
}
