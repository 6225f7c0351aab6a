using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemoryImport(MemoryFixture f) : ImportConformance<MemoryFixture>(f);

public sealed class MemoryStatistics(MemoryFixture f) : StatisticsConformance<MemoryFixture>(f);

public sealed class MemoryWatermark(MemoryFixture f) : WatermarkConformance<MemoryFixture>(f);
