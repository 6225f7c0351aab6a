namespace Eventuali.Conformance;

/// <summary>Shared plumbing of the conformance classes: the fixture, the test's token and fresh stores.</summary>
public abstract class ConformanceBase<TFixture>(TFixture fixture)
    where TFixture : class, IStoreFixture
{
    protected TFixture Fixture { get; } = fixture;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ValueTask<IEventStore> NewStoreAsync(EventStoreOptions? options = null) => Fixture.CreateStoreAsync(options, Ct);
}
