using Eventuali.Interception;

namespace Eventuali.Tenancy;

/// <summary>
/// What every backend's tenant factory does with a tenant's stored settings when it opens the tenant's store: the
/// retention and snapshot interval go into the store's options, and an encryption setting wraps the store in a rule
/// that checks each appended event (the same for memory, SQLite and PostgreSQL: none of it depends on storage).
/// </summary>
internal static class TenantSettings
{
    /// <summary>The options of the tenant's store: the factory's, with the tenant's retention and snapshot interval.</summary>
    public static EventStoreOptions Apply(EventStoreOptions options, TenantConfiguration configuration)
    {
        if (configuration.Retention is { } retention)
        {
            options = options with { Retention = retention };
        }

        if (configuration.SnapshotEveryEvents is { } every)
        {
            options = options with { Snapshots = options.Snapshots.WithEveryEvents(every) };
        }

        return options;
    }

    /// <summary>The store handed out for the tenant: wrapped in the encryption rule when the tenant has a setting.</summary>
    public static IEventStore Wrap(IEventStore store, TenantId tenant, TenantConfiguration configuration)
        => configuration.Encryption is { } required ? store.WithInterceptors(new EncryptionRule(tenant, required)) : store;

    /// <summary>Refuses personal data that arrives unencrypted (required) or any encrypted event (refused).</summary>
    private sealed class EncryptionRule(TenantId tenant, bool required) : EventStoreInterceptor
    {
        // The headers the field-encryption interceptor (Eventuali.Security) reads and writes.
        private const string Personal = "eventuali-personal";
        private const string Encrypted = "eventuali-encrypted";

        public override ValueTask<EventData> OnAppendingAsync(string streamId, EventData data, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(data);
            var headers = data.Metadata.Headers;
            var encrypted = headers?.ContainsKey(Encrypted) == true;
            var refused = required ? headers?.ContainsKey(Personal) == true && !encrypted : encrypted;
            return refused ? throw new TenantEncryptionException(tenant, required, streamId, data.EventId) : ValueTask.FromResult(data);
        }
    }
}

/// <summary>How the registries of every backend store the settings of <see cref="TenantSettings"/> as column values.</summary>
internal static class TenantSettingColumns
{
    public static long? MaxAgeSeconds(TenantConfiguration c) => c.Retention?.MaxAge is { } age ? (long)Math.Ceiling(age.TotalSeconds) : null;

    public static string? Encryption(TenantConfiguration c) => c.Encryption switch { true => "on", false => "off", null => null };

    /// <summary><paramref name="configuration"/> with the settings read back from the columns.</summary>
    public static TenantConfiguration With(TenantConfiguration configuration, long? maxCount, long? maxAgeSeconds, long? snapshotEvery, string? encryption)
        => configuration with
        {
            Retention = maxCount is null && maxAgeSeconds is null ? null : new Lifecycle.StoreRetention((int?)maxCount, maxAgeSeconds is { } s ? TimeSpan.FromSeconds(s) : null),
            SnapshotEveryEvents = (int?)snapshotEvery,
            Encryption = encryption switch { "on" => true, "off" => false, _ => null },
        };
}
