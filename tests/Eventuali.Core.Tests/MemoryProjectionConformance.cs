using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemoryProjections(MemoryFixture f) : ProjectionConformance<MemoryFixture>(f);

public sealed class MemoryProjectionFailures(MemoryFixture f) : ProjectionFailureConformance<MemoryFixture>(f);

public sealed class MemoryInlineProjections(MemoryFixture f) : InlineProjectionConformance<MemoryFixture>(f);

public sealed class MemoryProjectionOperators(MemoryFixture f) : ProjectionOperatorConformance<MemoryFixture>(f);

public sealed class MemoryPartitions(MemoryFixture f) : PartitionConformance<MemoryFixture>(f);
