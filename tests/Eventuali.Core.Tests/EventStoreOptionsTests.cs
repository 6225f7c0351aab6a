using Eventuali.Typed;

namespace Eventuali.Core.Tests;

public sealed class EventStoreOptionsTests
{
    [Fact]
    public void Defaults_are_durable_with_the_system_clock()
    {
        var o = new EventStoreOptions();
        Assert.Equal((Durability.Full, 4096), (o.Durability, o.ReadPageSize));
        Assert.Same(TimeProvider.System, o.TimeProvider);
        Assert.NotNull(o.Types);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Read_page_size_below_one_is_refused(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EventStoreOptions { ReadPageSize = size });
        Assert.Equal("ReadPageSize", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => EventStoreOptions.Default with { ReadPageSize = size });
        Assert.Equal(1, new EventStoreOptions { ReadPageSize = 1 }.ReadPageSize);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_event_type_names_are_refused_at_registration(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new EventTypeRegistry().Register<PlainEvent>(name));
        Assert.Contains(typeof(PlainEvent).FullName!, ex.Message, StringComparison.Ordinal);
    }
}
