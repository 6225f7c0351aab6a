using Eventuali.Security.Keys;

namespace Eventuali.Security.Encryption;

/// <summary>What a reader sees of a field whose data key was destroyed (the subject was erased).</summary>
public enum RedactionPolicy
{
    /// <summary>The field reads as the redaction marker (<see cref="EncryptionHeaders.RedactionMarker"/> for strings, else null) and the event carries <see cref="EncryptionHeaders.Redacted"/>.</summary>
    Redact,

    /// <summary>The read fails with <see cref="EventDecryptionException"/>.</summary>
    Throw,
}

/// <summary>Settings of field encryption: the key provider, what to encrypt, the key cache and rotation limits.</summary>
public sealed record FieldEncryptionOptions
{
    /// <summary>Creates options around <paramref name="provider"/>.</summary>
    public FieldEncryptionOptions(IKeyEncryptionKeyProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Provider = provider;
    }

    /// <summary>The key provider whose active KEK wraps new data keys.</summary>
    public IKeyEncryptionKeyProvider Provider { get; init; }

    /// <summary>Event types with personal data (raw events may use <see cref="EncryptionHeaders"/> instead).</summary>
    public EncryptionPolicy Policy { get; init; } = new();

    /// <summary>The tenant, bound into every ciphertext when set, so data cannot move between tenants of one store.</summary>
    public string? Tenant { get; init; }

    /// <summary>These options with <paramref name="tenant"/>'s normalised id bound into every ciphertext, so that a
    /// tenant-bound store encrypts under the same associated data however the id was spelled.</summary>
    public FieldEncryptionOptions ForTenant(Eventuali.Tenancy.TenantId tenant) => this with { Tenant = tenant.Value };

    /// <summary>What a reader sees of data whose key was destroyed (default: the redaction marker).</summary>
    public RedactionPolicy Redaction { get; init; } = RedactionPolicy.Redact;

    /// <summary>Subjects whose unwrapped keys stay in memory (default 10,000).</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>How long an unwrapped key stays in memory, which also bounds how long another process's erasure takes to reach this one (default 5 minutes).</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Encryptions under one data key before a new version is made: far below GCM's 2^32 random-nonce limit (default 2^30).</summary>
    public long MaxUsesPerKey { get; init; } = 1L << 30;

    /// <summary>Encryptions a process reserves at a time under a key (default 65,536); the store counts reservations of every process.</summary>
    public long UseReservation { get; init; } = 1L << 16;

    /// <summary>The clock of key ages and cache expiry.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
