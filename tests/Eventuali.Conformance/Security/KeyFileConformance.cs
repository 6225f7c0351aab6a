namespace Eventuali.Conformance.Security;

/// <summary>
/// Shared plumbing of the conformance classes that encrypt: a local key file of their own, deleted after each test,
/// and the raw view of a backend's storage that erasure tests scan for plaintext.
/// </summary>
public abstract class KeyFileConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>, IDisposable
    where TFixture : class, IStoreFixture
{
    protected TempKeyFile KeyFile { get; } = new();

    public void Dispose()
    {
        KeyFile.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every byte the backend keeps for <paramref name="store"/> (files, WAL, a dump), or null when it cannot be read raw.</summary>
    protected virtual ValueTask<byte[]?> DumpStorageAsync(IEventStore store) => ValueTask.FromResult<byte[]?>(null);
}
