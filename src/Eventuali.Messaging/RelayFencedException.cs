namespace Eventuali.Messaging;

/// <summary>The route's checkpoint moved under this relay: another node took the route; this one gives it up.</summary>
public sealed class RelayFencedException : Exception
{
    /// <summary>Creates the exception for <paramref name="route"/>, expected at <paramref name="expected"/>, found at <paramref name="found"/>.</summary>
    public RelayFencedException(string route, long expected, long found, string? owner)
        : base($"Relay route '{route}': its checkpoint moved from {expected} to {found} (last owner '{owner}') while this relay published; another node runs the route, so this one stops leading it.")
    {
        Route = route;
    }

    /// <summary>The route.</summary>
    public string Route { get; }
}
