using Eventuali.SampleDomain;
using Eventuali.Testing;

namespace Eventuali.Testing.Tests;

public sealed class AggregateSpecificationTests
{
    [Fact]
    public async Task Then_passes_when_exactly_the_expected_events_are_raised_and_returns_the_aggregate()
    {
        var cart = await Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"), new ItemAdded("mug", 1, 8m))
            .When(c => c.Add("tea", 2, 3.5m))
            .Then(new ItemAdded("tea", 2, 3.5m));

        Assert.Equal(15m, cart.Total);
    }

    [Fact]
    public async Task Then_fails_with_both_lists_and_the_differing_fields()
    {
        var error = await Assert.ThrowsAsync<SpecificationException>(() => Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Add("tea", 3, 3.5m))
            .Then(new ItemAdded("tea", 2, 3.5m)));

        Assert.Contains("Expected 1 event, got 1 event; first difference at event 1.", error.Message);
        Assert.Contains("> 1. item-added-v2 {\"sku\":\"tea\",\"quantity\":2,\"unitPrice\":3.5}", error.Message);
        Assert.Contains("> 1. item-added-v2 {\"sku\":\"tea\",\"quantity\":3,\"unitPrice\":3.5}", error.Message);
        Assert.Contains("quantity: expected 2, got 3", error.Message);
        Assert.DoesNotContain("sku: expected", error.Message);
    }

    [Fact]
    public async Task Then_fails_naming_a_missing_or_an_unexpected_event()
    {
        var missing = await Assert.ThrowsAsync<SpecificationException>(() => Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Add("tea", 1, 1m))
            .Then(new ItemAdded("tea", 1, 1m), new ItemAdded("mug", 1, 1m)));
        Assert.Contains("Event 2 (item-added-v2) was expected but not raised.", missing.Message);

        var unexpected = await Assert.ThrowsAsync<SpecificationException>(() => Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Add("tea", 1, 1m))
            .Then());
        Assert.Contains("Event 1 (item-added-v2) was raised but not expected.", unexpected.Message);
    }

    [Fact]
    public async Task Then_reports_an_unexpected_exception_with_its_message()
    {
        var error = await Assert.ThrowsAsync<SpecificationException>(() => Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Checkout())
            .Then(new CartCheckedOut("c1", 0m)));

        Assert.Contains("threw InvalidOperationException: Cart c1 is empty", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task ThenThrows_returns_the_exception_and_fails_when_the_command_succeeds_or_throws_another_type()
    {
        var thrown = await Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Remove("mug"))
            .ThenThrows<InvalidOperationException>();
        Assert.Equal("Cart c1 has no item mug to remove.", thrown.Message);

        var succeeded = await Assert.ThrowsAsync<SpecificationException>(() => Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Add("mug", 1, 2m))
            .ThenThrows<InvalidOperationException>());
        Assert.Contains("but it succeeded and raised:", succeeded.Message);
        Assert.Contains("item-added-v2", succeeded.Message);

        var other = await Assert.ThrowsAsync<SpecificationException>(() => Specification.For<Cart>("c1")
            .Given(new CartOpened("c1", "Ann"))
            .When(c => c.Remove("mug"))
            .ThenThrows<ArgumentException>());
        Assert.Contains("but it threw InvalidOperationException", other.Message);
    }

    [Fact]
    public async Task WhenCreated_specifies_a_factory_and_given_old_shapes_are_upcast_as_on_load()
    {
        await Specification.For<Cart>("c9")
            .WhenCreated(() => Cart.Open("c9", "Bo"))
            .Then(new CartOpened("c9", "Bo"));

        // A stored ItemAddedV1 is read as ItemAdded (price 0) through the registered upcaster.
        var cart = await Specification.For<Cart>("c1")
            .WithTypes(new CartTypes().Configure)
            .Given(new CartOpened("c1", "Ann"), new ItemAddedV1("mug", 2))
            .When(c => c.Checkout())
            .Then(new CartCheckedOut("c1", 0m));
        Assert.True(cart.CheckedOut);
    }

    [Fact]
    public async Task A_scenario_without_When_is_a_usage_error_not_a_pass()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Specification.For<Cart>().Then());
        Assert.Contains("has no When", error.Message);
    }
}
