using Eventuali.Subscriptions;

namespace Eventuali.InMemory;

/// <summary>Live wake-up: every append in this process signals; nothing else can write, so no polling.</summary>
public sealed partial class InMemoryEventStore : IAppendNotifications
{
    private readonly AppendWakeup _appended = new();

    Task IAppendNotifications.NextAppendSignal() => _appended.Next;

    TimeSpan IAppendNotifications.PollInterval => Timeout.InfiniteTimeSpan;
}
