namespace Eventuali.Conformance;

/// <summary>Shared plumbing of the conformance classes: the fixture, the test's token and fresh stores.</summary>
public abstract class ConformanceBase<TFixture>(TFixture fixture)
    where TFixture : class, IStoreFixture
{
    // Snapshot tests use LZ4 and Zstandard, which live in Eventuali.Compression; a backend's tests may reference Core alone.
    static ConformanceBase() => Eventuali.Snapshots.SnapshotCompressors.Register();

    protected TFixture Fixture { get; } = fixture;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ValueTask<IEventStore> NewStoreAsync(EventStoreOptions? options = null) => Fixture.CreateStoreAsync(options, Ct);
}
