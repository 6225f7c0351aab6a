using Eventuali.SampleDomain;
using Eventuali.Testing;

namespace Eventuali.Testing.Tests;

public sealed class CommandSpecificationTests
{
    [Fact]
    public async Task Commands_go_through_the_applications_routes_and_their_appended_events_are_checked_in_order()
    {
        await Specification.ForCommands(CartRoutes.Register)
            .Given<Cart>("c1", new CartOpened("c1", "Ann"))
            .When(new AddItem("c1", "mug", 2, 4m), new CheckOut("c1"))
            .Then(new ItemAdded("mug", 2, 4m), new CartCheckedOut("c1", 8m));
    }

    [Fact]
    public async Task A_mismatch_shows_the_diff_and_a_refused_command_is_reported()
    {
        var diff = await Assert.ThrowsAsync<SpecificationException>(() => Specification.ForCommands(CartRoutes.Register)
            .Given<Cart>("c1", new CartOpened("c1", "Ann"))
            .When(new AddItem("c1", "mug", 2, 4m), new CheckOut("c1"))
            .Then(new ItemAdded("mug", 2, 4m), new CartCheckedOut("c1", 9m)));
        Assert.Contains("first difference at event 2", diff.Message);
        Assert.Contains("total: expected 9, got 8", diff.Message);

        var refused = await Specification.ForCommands(CartRoutes.Register)
            .Given<Cart>("c1", new CartOpened("c1", "Ann"))
            .When(new CheckOut("c1"))
            .ThenThrows<InvalidOperationException>();
        Assert.Contains("is empty", refused.Message);
    }

    [Fact]
    public async Task A_command_without_a_route_fails_the_specification_naming_it()
    {
        var error = await Assert.ThrowsAsync<SpecificationException>(() => Specification.ForCommands(_ => { })
            .When(new CheckOut("c1"))
            .Then());
        Assert.Contains("No route for command", error.Message);
    }
}
