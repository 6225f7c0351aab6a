namespace Eventuali.CrashTests;

public sealed class SqliteFullDurabilityCrashTests : CrashConformance, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-crash-").FullName;

    protected override Task<string> CreateStoreUrlAsync(CancellationToken ct) => Task.FromResult($"sqlite://{Path.Combine(_dir, "crash.db")}");

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

public sealed class PostgreSqlCrashTests : CrashConformance, IAsyncDisposable
{
    private readonly string _url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
    private readonly List<string> _schemas = [];

    protected override Task<string> CreateStoreUrlAsync(CancellationToken ct)
    {
        var schema = "crash_" + Guid.NewGuid().ToString("N")[..12];
        _schemas.Add(schema);
        return Task.FromResult(_url + (_url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema);
    }

    /// <summary>A position's bits above the lowest 20 are its transaction id: some transaction must hold several streams.</summary>
    protected override void AssertAppendsSharedTransactions(IReadOnlyList<RecordedEvent> log)
        => Assert.Contains(log.GroupBy(e => e.Position >> 20), t => t.Select(e => e.StreamId).Distinct().Count() > 1);

    /// <summary>Drops the schemas this class's tests wrote (their names are generated here, never user input).</summary>
    public async ValueTask DisposeAsync()
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Eventuali.PostgreSql.PgUrl.Parse(_url).Builder.ConnectionString);
        foreach (var schema in _schemas)
        {
            await using var cmd = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
