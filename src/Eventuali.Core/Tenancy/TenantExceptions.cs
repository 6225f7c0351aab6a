namespace Eventuali.Tenancy;

/// <summary>A tenant id that breaks the rules of <see cref="TenantId"/>. Nothing was read or written.</summary>
public sealed class MalformedTenantIdException : EventualiException
{
    /// <summary>Creates the exception with the sentence that says which rule the id broke.</summary>
    public MalformedTenantIdException(string message)
        : base(message)
    {
    }
}

/// <summary>A tenant that is not registered. Nothing was read or written.</summary>
public sealed class UnknownTenantException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="tenant"/>.</summary>
    public UnknownTenantException(TenantId tenant)
        : base($"Tenant '{tenant}' does not exist; create it first.")
        => Tenant = tenant;

    /// <summary>The tenant asked for.</summary>
    public TenantId Tenant { get; }
}

/// <summary>A tenant that is suspended: its store is not handed out until it is resumed. Nothing was read or written.</summary>
public sealed class TenantSuspendedException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="tenant"/>.</summary>
    public TenantSuspendedException(TenantId tenant)
        : base($"Tenant '{tenant}' is suspended; resume it to use its store.")
        => Tenant = tenant;

    /// <summary>The suspended tenant.</summary>
    public TenantId Tenant { get; }
}

/// <summary>An operation of a multi-tenant store was asked for without a tenant. Nothing was read or written.</summary>
public sealed class MissingTenantContextException : EventualiException
{
    /// <summary>Creates the exception.</summary>
    public MissingTenantContextException()
        : base("No tenant was given; a multi-tenant store needs a tenant id for every operation.")
    {
    }
}

/// <summary>A purge that was refused: deletion was not requested, the confirmation is wrong, or the store is in use. Nothing was removed.</summary>
public sealed class TenantDeletionException : EventualiException
{
    /// <summary>Creates the exception with the sentence that says why (never the expected token).</summary>
    public TenantDeletionException(TenantId tenant, string message)
        : base(message)
        => Tenant = tenant;

    /// <summary>The tenant whose purge was refused.</summary>
    public TenantId Tenant { get; }
}

/// <summary>
/// An append that breaks the tenant's encryption setting (<see cref="TenantConfiguration.Encryption"/>): personal data
/// unencrypted where it is required, or encrypted data where it is refused. Nothing was written.
/// </summary>
public sealed class TenantEncryptionException : EventualiException
{
    /// <summary>Creates the exception for <paramref name="tenant"/>, the stream and the event's id.</summary>
    public TenantEncryptionException(TenantId tenant, bool required, string streamId, Guid eventId)
        : base(required
            ? $"Tenant '{tenant}' requires field encryption: event {eventId} to stream '{streamId}' is marked as personal data (eventuali-personal) but arrived unencrypted; append through the field-encryption interceptor. Nothing was written."
            : $"Tenant '{tenant}' has field encryption off: event {eventId} to stream '{streamId}' arrived encrypted. Nothing was written.")
        => (Tenant, Required) = (tenant, required);

    /// <summary>The tenant.</summary>
    public TenantId Tenant { get; }

    /// <summary>True when encryption is required and was missing; false when it is refused and was present.</summary>
    public bool Required { get; }
}

/// <summary>
/// Code that ran SQL inside a tenant's transaction (a projection's or saga's handler) changed the transaction's tenant
/// or role before it committed. The transaction was rolled back: nothing it wrote was kept.
/// </summary>
public sealed class TenantContextChangedException : EventualiException
{
    /// <summary>Creates the exception for the tenant whose transaction was rolled back.</summary>
    public TenantContextChangedException(TenantId tenant)
        : base($"The transaction of tenant '{tenant}' had its tenant setting or its role changed by the SQL run inside it; it was rolled back and nothing was written. Code that runs SQL in a tenant's transaction must not call set_config('eventuali.tenant', ...), RESET or SET ROLE.")
        => Tenant = tenant;

    /// <summary>The tenant whose transaction was rolled back.</summary>
    public TenantId Tenant { get; }
}
