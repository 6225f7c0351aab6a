namespace Eventuali.Tenancy;

/// <summary>Helpers over <see cref="ITenantStoreFactory"/>.</summary>
public static class TenantStoreFactoryExtensions
{
    /// <summary>
    /// <paramref name="tenant"/>'s store, owning <paramref name="factory"/>: disposing the store disposes the factory.
    /// For a process that works on one tenant only (a command line, a worker); the factory is disposed here when the
    /// tenant cannot be opened.
    /// </summary>
    public static async ValueTask<IEventStore> OpenOwnedStoreAsync(this ITenantStoreFactory factory, TenantId tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        IEventStore held;
        try
        {
            held = await factory.GetStoreAsync(tenant, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await factory.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new TenantStoreHandle(held, async () =>
        {
            try
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await factory.DisposeAsync().ConfigureAwait(false);
            }
        });
    }
}
