using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemorySubscriptions(MemoryFixture f) : SubscriptionConformance<MemoryFixture>(f);

public sealed class MemoryHandlerSubscriptions(MemoryFixture f) : HandlerSubscriptionConformance<MemoryFixture>(f);

public sealed class MemoryCheckpoints(MemoryFixture f) : CheckpointConformance<MemoryFixture>(f);
