using System.IO.Compression;
using System.Text.Json;

namespace Eventuali.Cli.Tests;

/// <summary>export and import as a process: lossless across backends, idempotent, refusing bad files whole.</summary>
public sealed class TransferTests
{
    /// <summary>An export as `eventuali export` writes it: canonical JSON, no positions.</summary>
    internal static readonly string[] Sample =
    [
        """{"streamId":"order-1001","version":1,"eventId":"01a21000-0000-7000-8000-000000000001","eventType":"order-placed","timestamp":"2024-01-02T03:04:05.123456Z","correlationId":"checkout-7","causationId":null,"actorId":"user:alice","headers":{"source":"web","tenant":"acme"},"contentType":"application/json","dataEncoding":"json","data":{"items":[{"qty":2,"sku":"A-1"}],"orderId":"1001","total":42.5}}""",
        """{"streamId":"order-1001","version":2,"eventId":"01a21000-0000-7000-8000-000000000002","eventType":"order-paid","timestamp":"2024-01-02T03:05:00.000001Z","correlationId":"checkout-7","causationId":"01a21000-0000-7000-8000-000000000001","actorId":null,"contentType":"application/json","dataEncoding":"json","data":{"amount":42.5,"method":"card"}}""",
        """{"streamId":"account-alice","version":1,"eventId":"01a21000-0000-7000-8000-000000000003","eventType":"account-opened","timestamp":"2024-01-03T00:00:00.000000Z","correlationId":null,"causationId":null,"actorId":null,"contentType":"application/json","dataEncoding":"json","data":{"note":"line\nbreak \"quoted\"","owner":"Alice Émile"}}""",
        """{"streamId":"account-alice","version":2,"eventId":"01a21000-0000-7000-8000-000000000004","eventType":"scan-attached","timestamp":"2024-01-03T00:00:01.500000Z","correlationId":null,"causationId":null,"actorId":null,"contentType":"application/octet-stream","dataEncoding":"base64","data":"AAECAwT/"}""",
        """{"streamId":"order-1001","version":3,"eventId":"01a21000-0000-7000-8000-000000000005","eventType":"order-shipped","timestamp":"2024-01-04T10:00:00.250000Z","correlationId":null,"causationId":null,"actorId":null,"contentType":"application/json","dataEncoding":"json","data":{"carrier":"dhl"}}""",
        """{"streamId":"order-1001","version":4,"eventId":"01a21000-0000-7000-8000-000000000006","eventType":"order-delivered","timestamp":"2024-01-04T10:00:00.250000Z","correlationId":null,"causationId":null,"actorId":null,"contentType":"application/json","dataEncoding":"json","data":{}}""",
        """{"streamId":"misc","version":1,"eventId":"01a21000-0000-7000-8000-000000000007","eventType":"noted","timestamp":"2024-01-05T23:59:59.999999Z","correlationId":null,"causationId":null,"actorId":null,"contentType":"application/json","dataEncoding":"json","data":[1,2.5,"three",null,true]}""",
    ];

    internal static void WriteSample(string path) => File.WriteAllText(path, string.Join('\n', Sample) + "\n");

    [Fact]
    public async Task Sqlite_to_postgresql_and_back_gives_identical_exports()
    {
        using var dir = new TempDirectory();
        await using var pg = new PgScratch("roundtrip");
        WriteSample(dir.File("sample.jsonl"));

        await Ok(dir, "import", "-d", "sqlite://source.db", "-i", "sample.jsonl");
        await Ok(dir, "export", "-d", "sqlite://source.db", "-o", "from-sqlite.jsonl");
        Assert.Equal(File.ReadAllText(dir.File("sample.jsonl")), File.ReadAllText(dir.File("from-sqlite.jsonl")));

        await Ok(dir, "import", "-d", pg.Url, "--input", "from-sqlite.jsonl");
        await Ok(dir, "export", "-d", pg.Url, "--output", "from-pg.jsonl.gz");
        string fromPg;
        using (var gz = new StreamReader(new GZipStream(File.OpenRead(dir.File("from-pg.jsonl.gz")), CompressionMode.Decompress)))
        {
            fromPg = await gz.ReadToEndAsync(TestContext.Current.CancellationToken);
        }

        // Exports carry no positions (each store assigns its own), so all three files are the same.
        Assert.Equal(File.ReadAllText(dir.File("from-sqlite.jsonl")), fromPg);

        await Ok(dir, "import", "-d", "sqlite://back.db", "-i", "from-pg.jsonl.gz");
        await Ok(dir, "export", "-d", "sqlite://back.db", "-o", "back.jsonl");
        Assert.Equal(File.ReadAllBytes(dir.File("from-sqlite.jsonl")), File.ReadAllBytes(dir.File("back.jsonl")));
    }

    [Fact]
    public async Task Importing_the_same_file_again_adds_nothing_on_every_backend()
    {
        using var dir = new TempDirectory();
        await using var pg = new PgScratch("reimport");
        WriteSample(dir.File("sample.jsonl"));
        foreach (var db in (string[])["sqlite://again.db", pg.Url])
        {
            var first = await Ok(dir, "import", "-d", db, "-i", "sample.jsonl", "--json");
            Assert.Equal(7, Json(first).GetProperty("added").GetInt64());
            var before = await Ok(dir, "export", "-d", db);

            var second = await Ok(dir, "import", "-d", db, "-i", "sample.jsonl", "--json");
            Assert.Equal(0, Json(second).GetProperty("added").GetInt64());
            Assert.Equal(7, Json(second).GetProperty("already_stored").GetInt64());
            Assert.Equal(before.Out, (await Ok(dir, "export", "-d", db)).Out);
        }
    }

    [Fact]
    public async Task Export_to_stdout_is_the_same_as_to_a_file_and_import_continues_a_stream()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("sample.jsonl"));
        File.WriteAllLines(dir.File("first.jsonl"), Sample[..3]);
        File.WriteAllLines(dir.File("rest.jsonl"), Sample[3..]);
        await Ok(dir, "import", "-d", "sqlite://parts.db", "-i", "first.jsonl");
        await Ok(dir, "import", "-d", "sqlite://parts.db", "-i", "rest.jsonl");
        var stdout = await Ok(dir, "export", "-d", "sqlite://parts.db");
        Assert.Equal(File.ReadAllText(dir.File("sample.jsonl")), stdout.Out);

        var incremental = await Ok(dir, "export", "-d", "sqlite://parts.db", "--from-position", "6", "--category", "order-");
        Assert.Equal([Sample[5]], incremental.OutLines);
    }

    [Theory]
    [InlineData("""{"streamId":"s-1","version":3,"eventId":"01a21000-0000-7000-8000-0000000000aa","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}}""", "line 4: stream 's-1' goes from version 1 to 3")]
    [InlineData("""{"streamId":"s-2","version":1,"eventId":"01a21000-0000-7000-8000-0000000000aa","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}""", "line 4: not valid JSON")]
    [InlineData("""{"streamId":"s-2","version":1,"eventId":"not-a-guid","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}}""", "line 4: field 'eventId' must be a non-empty GUID")]
    [InlineData("""{"streamId":"s-2","version":1,"eventId":"01a21000-0000-7000-8000-0000000000aa","eventType":"t","timestamp":"yesterday","dataEncoding":"json","data":{}}""", "line 4: field 'timestamp'")]
    [InlineData("""{"streamId":"s-2","version":0,"eventId":"01a21000-0000-7000-8000-0000000000aa","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}}""", "line 4: field 'version' must be an integer of 1 or more")]
    [InlineData("""{"streamId":"s-2","version":1,"eventId":"01a21000-0000-7000-8000-0000000000aa","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"hex","data":"00"}""", "line 4: field 'dataEncoding' must be json or base64")]
    [InlineData("[1,2]", "line 4: expected a JSON object, found array")]
    public async Task A_bad_line_stops_the_import_with_its_number_and_writes_nothing(string badLine, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("bad.jsonl"),
        [
            """{"streamId":"s-1","version":1,"eventId":"01a21000-0000-7000-8000-0000000000a1","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}}""",
            """{"streamId":"s-3","version":1,"eventId":"01a21000-0000-7000-8000-0000000000a2","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}}""",
            "",
            badLine,
            """{"streamId":"s-3","version":2,"eventId":"01a21000-0000-7000-8000-0000000000a3","eventType":"t","timestamp":"2024-01-01T00:00:00Z","dataEncoding":"json","data":{}}""",
        ]);
        await Ok(dir, "init", "-d", "sqlite://target.db");

        var result = await CliProcess.RunAsync(dir.Path, "import", "-d", "sqlite://target.db", "-i", "bad.jsonl");
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("eventuali: bad.jsonl: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Empty(result.Out);
        Assert.Empty((await Ok(dir, "read", "-d", "sqlite://target.db", "--all")).OutLines);
    }

    [Fact]
    public async Task A_stream_the_target_holds_differently_is_refused_naming_the_line()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("sample.jsonl"));
        await Ok(dir, "append", "-d", "sqlite://taken.db", "-s", "account-alice", "-t", "other", "--data", "{}");

        var result = await CliProcess.RunAsync(dir.Path, "import", "-d", "sqlite://taken.db", "-i", "sample.jsonl");
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("line 3: the store refused stream 'account-alice' versions 1-1", line, StringComparison.Ordinal);
        Assert.Contains("re-running the import adds only what is missing", line, StringComparison.Ordinal);
        Assert.Single((await Ok(dir, "read", "-d", "sqlite://taken.db", "--stream", "account-alice")).OutLines);
    }

    [Fact]
    public async Task Missing_file_bad_url_and_wrong_password_fail_with_one_line_and_change_nothing()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("sample.jsonl"));
        await using var pg = new PgScratch("badinput");

        var missing = await CliProcess.RunAsync(dir.Path, "import", "-d", "sqlite://t.db", "-i", "nope.jsonl");
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("nope.jsonl", Assert.Single(missing.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("t.db")), "a missing input must not create the store");

        var badUrl = await CliProcess.RunAsync(dir.Path, "import", "-d", "postgresql://eventuali:s3cret@127.0.0.1:notaport/db", "-i", "sample.jsonl");
        Assert.True(badUrl.ExitCode == 1, badUrl.ToString());
        Assert.Single(badUrl.ErrorLines);
        Assert.DoesNotContain("s3cret", badUrl.Error, StringComparison.Ordinal);

        var wrongPassword = pg.Url.Replace("eventuali:eventuali@", "eventuali:wrong-pass@", StringComparison.Ordinal);
        Assert.NotEqual(pg.Url, wrongPassword);
        var denied = await CliProcess.RunAsync(dir.Path, "import", "-d", wrongPassword, "-i", "sample.jsonl");
        Assert.True(denied.ExitCode == 1, denied.ToString());
        Assert.Contains("authentication failed", Assert.Single(denied.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pass", denied.Error, StringComparison.Ordinal);
        var nothingCreated = await CliProcess.RunAsync(dir.Path, "export", "-d", pg.Url);
        Assert.True(nothingCreated.ExitCode == 1, nothingCreated.ToString());
        Assert.Contains("No such store", Assert.Single(nothingCreated.ErrorLines), StringComparison.Ordinal);

        await Ok(dir, "init", "-d", "sqlite://t.db");
        var export = await CliProcess.RunAsync(dir.Path, "export", "-d", "sqlite://t.db", "-o", dir.File("no/such/dir/out.jsonl"));
        Assert.True(export.ExitCode == 1, export.ToString());
        Assert.Single(export.ErrorLines);

        var unknown = await CliProcess.RunAsync(dir.Path, "exprot", "-d", "sqlite://t.db");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("exprot", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);

        var noInput = await CliProcess.RunAsync(dir.Path, "import", "-d", "sqlite://t.db");
        Assert.True(noInput.ExitCode == 2, noInput.ToString());
        Assert.Single(noInput.ErrorLines);
    }

    internal static async Task<CliProcess.Result> Ok(TempDirectory dir, params string[] args)
    {
        var result = await CliProcess.RunAsync(dir.Path, args);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + "\n" + result);
        return result;
    }

    private static JsonElement Json(CliProcess.Result result) => JsonDocument.Parse(Assert.Single(result.OutLines)).RootElement;
}
