using Eventuali.SampleDomain;
using Eventuali.Testing;

namespace Eventuali.Testing.Tests;

public sealed class ProjectionAndSagaSpecificationTests
{
    [Fact]
    public async Task A_projection_is_run_by_a_real_daemon_and_its_documents_compared_as_json()
    {
        var documents = await Specification.ForProjection(new CheckoutTotals())
            .Given("cart-a", new CartOpened("a", "Ann"), new ItemAdded("mug", 2, 4m), new CartCheckedOut("a", 8m))
            .Given("cart-b", new CartOpened("b", "Bo"))
            .ThenDocument("a", """{ "total": 8.0 }""")
            .Verify();

        Assert.Single(documents);
    }

    [Fact]
    public async Task A_wrong_or_missing_document_fails_listing_what_there_is()
    {
        var error = await Assert.ThrowsAsync<SpecificationException>(() => Specification.ForProjection(new CheckoutTotals())
            .Given("cart-a", new CartOpened("a", "Ann"), new CartCheckedOut("a", 8m))
            .ThenDocument("a", """{"total":7}""")
            .ThenDocument("b", """{"total":1}""")
            .Verify());

        Assert.Contains("document 'a': expected {\"total\":7}, got {\"total\":8}", error.Message);
        Assert.Contains("document 'b': expected {\"total\":1}, but there is none", error.Message);
    }

    [Fact]
    public async Task A_saga_appends_what_it_decides_for_the_when_events()
    {
        await Specification.ForSaga(ShippingSaga.Definition())
            .Given("cart-a", new CartOpened("a", "Ann"), new ItemAdded("mug", 1, 5m))
            .When("cart-a", new CartCheckedOut("a", 5m))
            .Then(new ShipmentRequested("a", 5m));
    }

    [Fact]
    public async Task Time_passing_on_the_fake_clock_fires_the_sagas_timeouts()
    {
        await Specification.ForSaga(ShippingSaga.Definition())
            .When("cart-a", new CartOpened("a", "Ann"))
            .AfterTime(ShippingSaga.AbandonAfter)
            .Then(new CartAbandoned("a"));

        // Checked out in time: the timeout is cancelled, so only the shipment request follows.
        await Specification.ForSaga(ShippingSaga.Definition())
            .Given("cart-a", new CartOpened("a", "Ann"))
            .When("cart-a", new CartCheckedOut("a", 5m))
            .AfterTime(ShippingSaga.AbandonAfter * 2)
            .Then(new ShipmentRequested("a", 5m));
    }

    [Fact]
    public async Task A_saga_mismatch_fails_with_the_diff()
    {
        var error = await Assert.ThrowsAsync<SpecificationException>(() => Specification.ForSaga(ShippingSaga.Definition())
            .When("cart-a", new CartOpened("a", "Ann"))
            .AfterTime(TimeSpan.FromHours(1))
            .Then(new CartAbandoned("a")));

        Assert.Contains("Event 1 (cart-abandoned) was expected but not raised.", error.Message);
    }
}
