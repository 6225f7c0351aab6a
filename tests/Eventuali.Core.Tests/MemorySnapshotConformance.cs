using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemorySnapshots(MemoryFixture f) : SnapshotConformance<MemoryFixture>(f);

public sealed class MemoryTimeTravel(MemoryFixture f) : TimeTravelConformance<MemoryFixture>(f);

public sealed class MemorySnapshotLifecycle(MemoryFixture f) : SnapshotLifecycleConformance<MemoryFixture>(f);
