using Eventuali.Conformance.Security;

namespace Eventuali.Core.Tests;

public sealed class MemoryEncryption(MemoryFixture f) : EncryptionConformance<MemoryFixture>(f);

public sealed class MemoryKeyLifecycle(MemoryFixture f) : KeyLifecycleConformance<MemoryFixture>(f);

public sealed class MemorySubjectStreams(MemoryFixture f) : SubjectStreamsConformance<MemoryFixture>(f);
public sealed class MemoryErasureScrub(MemoryFixture f) : ErasureScrubConformance<MemoryFixture>(f);
