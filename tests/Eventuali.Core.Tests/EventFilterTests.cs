namespace Eventuali.Core.Tests;

public sealed class EventFilterTests
{
    [Fact]
    public void Empty_filter_matches_everything()
    {
        Assert.True(new EventFilter().Matches("any", "type"));
        Assert.True(new EventFilter { EventTypes = [] }.Matches("any", "type"));
        Assert.False(new EventFilter().HasEventTypes);
    }

    [Fact]
    public void Event_types_match_exactly_and_case_sensitively()
    {
        var f = EventFilter.ForEventTypes("opened", "closed");
        Assert.True(f.HasEventTypes);
        Assert.True(f.Matches("s", "opened"));
        Assert.True(f.Matches("s", "closed"));
        Assert.False(f.Matches("s", "Opened"));
        Assert.False(f.Matches("s", "open"));
        Assert.False(f.Matches("s", "opened "));
    }

    [Fact]
    public void Category_is_an_ordinal_case_sensitive_prefix_with_no_wildcards()
    {
        var f = EventFilter.ForCategory("account-");
        Assert.True(f.Matches("account-1", "t"));
        Assert.True(f.Matches("account-", "t"));
        Assert.False(f.Matches("Account-1", "t"));
        Assert.False(f.Matches("account", "t"));
        Assert.False(f.Matches("accounting-1", "t"));
        Assert.False(EventFilter.ForCategory("a_").Matches("ab", "t"));
        Assert.False(EventFilter.ForCategory("a%").Matches("abc", "t"));
        Assert.True(EventFilter.ForCategory("e\u0301").Matches("e\u0301-1", "t"));
        Assert.False(EventFilter.ForCategory("\u00e9").Matches("e\u0301-1", "t"));
    }

    [Fact]
    public void Both_parts_must_match()
    {
        var f = new EventFilter { EventTypes = ["opened"], StreamIdPrefix = "account-" };
        Assert.True(f.Matches("account-1", "opened"));
        Assert.False(f.Matches("account-1", "closed"));
        Assert.False(f.Matches("order-1", "opened"));
    }

    [Fact]
    public void Empty_category_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EventFilter.ForCategory(string.Empty));
        Assert.Throws<ArgumentNullException>(() => EventFilter.ForCategory(null!));
    }
}
