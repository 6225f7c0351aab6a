namespace Eventuali.CrashTests;

public sealed class SqliteFullDurabilityCrashTests : CrashConformance, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-crash-").FullName;

    protected override Task<string> CreateStoreUrlAsync(CancellationToken ct) => Task.FromResult($"sqlite://{Path.Combine(_dir, "crash.db")}");

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

public sealed class PostgreSqlCrashTests : CrashConformance
{
    protected override Task<string> CreateStoreUrlAsync(CancellationToken ct)
    {
        var url = Environment.GetEnvironmentVariable("EVENTUALI_TEST_POSTGRES") ?? "postgresql://eventuali:eventuali@127.0.0.1:54329/eventuali";
        var schema = "crash_" + Guid.NewGuid().ToString("N")[..12];
        return Task.FromResult(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema);
    }

    /// <summary>A position's bits above the lowest 20 are its transaction id: some transaction must hold several streams.</summary>
    protected override void AssertAppendsSharedTransactions(IReadOnlyList<RecordedEvent> log)
        => Assert.Contains(log.GroupBy(e => e.Position >> 20), t => t.Select(e => e.StreamId).Distinct().Count() > 1);
}
