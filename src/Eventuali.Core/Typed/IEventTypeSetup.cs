namespace Eventuali.Typed;

/// <summary>
/// Registers an application's event types, aliases and upcasters on a registry. Tools that load an application's
/// assembly (<c>eventuali schema</c>) call every public implementation with a parameterless constructor; the
/// application calls the same code on its store's <see cref="EventStoreOptions.Types"/>, so both see the same types.
/// </summary>
public interface IEventTypeSetup
{
    /// <summary>Registers the application's event types, aliases and upcasters on <paramref name="types"/>.</summary>
    void Configure(EventTypeRegistry types);
}
