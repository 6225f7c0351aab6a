using System.Collections.Concurrent;

namespace Eventuali.Hosting;

/// <summary>What an Eventuali hosted service is doing.</summary>
public enum EventualiServiceState
{
    /// <summary>Registered, not started yet.</summary>
    NotStarted = 0,

    /// <summary>Started and working.</summary>
    Running = 1,

    /// <summary>Stopped with the host.</summary>
    Stopped = 2,

    /// <summary>Stopped by an error (see <see cref="EventualiServiceStatus.Error"/>); the liveness check reports it.</summary>
    Faulted = 3,
}

/// <summary>One hosted service's state.</summary>
/// <param name="Service">The service, e.g. "saga runner 'shipping'".</param>
/// <param name="State">What it is doing.</param>
/// <param name="Error">What stopped a faulted service.</param>
public sealed record EventualiServiceStatus(string Service, EventualiServiceState State, Exception? Error);

/// <summary>The states of every Eventuali hosted service of this host, read by the liveness health check.</summary>
public sealed class EventualiServiceStates
{
    private readonly ConcurrentDictionary<string, EventualiServiceStatus> _states = new(StringComparer.Ordinal);

    /// <summary>Every registered service, ordered by name.</summary>
    public IReadOnlyList<EventualiServiceStatus> All => [.. _states.Values.OrderBy(s => s.Service, StringComparer.Ordinal)];

    internal void Set(string service, EventualiServiceState state, Exception? error = null)
        => _states[service] = new EventualiServiceStatus(service, state, error);
}
