namespace Eventuali.Auditing;

/// <summary>
/// The ambient actor recorded by the audit log: set it where a request starts
/// (<c>using (AuditContext.Begin("alice")) { ... }</c>) and every store operation awaited inside is attributed to it,
/// across awaits and into tasks started there. Scopes nest; disposing one restores the actor before it.
/// </summary>
public static class AuditContext
{
    /// <summary>The longest actor name accepted, in characters.</summary>
    public const int MaxActorLength = 200;

    private static readonly AsyncLocal<string?> Actor = new();

    /// <summary>The actor of the current scope, or null outside any.</summary>
    public static string? CurrentActor => Actor.Value;

    /// <summary>Makes <paramref name="actor"/> the current actor until the returned scope is disposed.</summary>
    public static IDisposable Begin(string actor)
    {
        AuditValidation.Actor(actor, nameof(actor));
        var scope = new Scope(Actor.Value);
        Actor.Value = actor;
        return scope;
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Actor.Value = previous;
            }
        }
    }
}
