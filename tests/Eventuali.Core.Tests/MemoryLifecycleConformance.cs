using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemoryLifecycleDelete(MemoryFixture f) : LifecycleDeleteConformance<MemoryFixture>(f);

public sealed class MemoryLifecycleTruncate(MemoryFixture f) : LifecycleTruncateConformance<MemoryFixture>(f);

public sealed class MemoryLifecycleRetention(MemoryFixture f) : LifecycleRetentionConformance<MemoryFixture>(f);
