using Eventuali.Conformance;

namespace Eventuali.Core.Tests;

public sealed class MemorySagaStore(MemoryFixture f) : SagaStoreConformance<MemoryFixture>(f);

public sealed class MemorySaga(MemoryFixture f) : SagaConformance<MemoryFixture>(f);

public sealed class MemorySagaTimeout(MemoryFixture f) : SagaTimeoutConformance<MemoryFixture>(f);

public sealed class MemoryCqrs(MemoryFixture f) : CqrsConformance<MemoryFixture>(f);
