using Eventuali.Sagas;

namespace Eventuali.Core.Tests;

public sealed class DeterministicIdTests
{
    [Fact]
    public void Matches_the_RFC_9562_version_5_test_vector()
    {
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), DeterministicId.Create(dns, "www.example.com"));
    }

    [Fact]
    public void Saga_ids_are_stable_version_5_and_differ_by_saga_source_and_index()
    {
        var source = new Guid("0195f3a2-7c1e-7000-8000-000000000001");
        var id = DeterministicId.ForSaga("orders", source, 0);
        Assert.Equal(id, DeterministicId.ForSaga("orders", source, 0));
        Assert.Equal(5, id.Version);
        Assert.InRange(id.Variant, 0x8, 0xB); // the RFC 9562 variant (binary 10xx)
        Assert.Equal(4, new[]
        {
            id, DeterministicId.ForSaga("orders", source, 1), DeterministicId.ForSaga("billing", source, 0), DeterministicId.ForSaga("orders", Guid.NewGuid(), 0),
        }.Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicId.ForSaga("orders", source, -1));
    }
}
