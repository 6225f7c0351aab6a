using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;
using Eventuali.Snapshots;
using Eventuali.Typed;

namespace Eventuali.Conformance.Security;

[EventType("conformance.customer-registered")]
internal sealed record CustomerRegistered([property: DataSubject] string CustomerId, [property: PersonalData] string Email, [property: PersonalData] string Name, int Tier);

[EventType("conformance.customer-email-changed")]
internal sealed record CustomerEmailChanged([property: DataSubject] string CustomerId, [property: PersonalData] string Email);

public sealed record CustomerState(string Email, string Name, int Tier, int Changes);

[StreamCategory("conformance-customer")]
[SnapshotSchema(1)]
internal sealed class Customer : Aggregate, ISnapshottable<CustomerState>
{
    public string Email { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public int Tier { get; private set; }

    public int Changes { get; private set; }

    public static Customer Register(string id, string email, string name, int tier)
    {
        var c = new Customer();
        c.Raise(new CustomerRegistered(id, email, name, tier));
        return c;
    }

    public void ChangeEmail(string email) => Raise(new CustomerEmailChanged(Id, email));

    public CustomerState CaptureSnapshot() => new(Email, Name, Tier, Changes);

    public void RestoreSnapshot(CustomerState state) => (Email, Name, Tier, Changes) = (state.Email, state.Name, state.Tier, state.Changes);

    private void Apply(CustomerRegistered e) => (Id, Email, Name, Tier) = (e.CustomerId, e.Email, e.Name, e.Tier);

    private void Apply(CustomerEmailChanged e) => (Email, Changes) = (e.Email, Changes + 1);
}

/// <summary>A key file in a temporary directory of its own, deleted with it.</summary>
public sealed class TempKeyFile : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-keys-").FullName;

    public TempKeyFile() => Keys = LocalKeyFile.Create(Path.Combine(_dir, "keys.json"));

    public LocalKeyFile Keys { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up.
        }
    }
}

/// <summary>A provider that fails after a number of wraps, as a crash part-way through a rewrap would.</summary>
internal sealed class FailingAfterWraps(IKeyEncryptionKeyProvider inner, int wrapsAllowed) : IKeyEncryptionKeyProvider
{
    private int _wraps;

    public string Name => inner.Name;

    public ValueTask<string> GetActiveKeyIdAsync(CancellationToken cancellationToken = default) => inner.GetActiveKeyIdAsync(cancellationToken);

    public ValueTask<byte[]> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
        => Interlocked.Increment(ref _wraps) > wrapsAllowed
            ? throw new KeyProviderException("The key provider is unreachable.", keyId, isTransient: true)
            : inner.WrapAsync(keyId, dataKey, associatedData, cancellationToken);

    public ValueTask<byte[]> UnwrapAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, ReadOnlyMemory<byte> associatedData, CancellationToken cancellationToken = default)
        => inner.UnwrapAsync(keyId, wrappedKey, associatedData, cancellationToken);
}
