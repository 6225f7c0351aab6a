using Eventuali.Typed;

namespace Eventuali.Core.Tests;

public sealed class BankAccount : Aggregate;

public sealed class Order : Aggregate;

public sealed class HTTPRequestLog : Aggregate;

public sealed class Order2Line : Aggregate;

[StreamCategory("acct")]
public sealed class CategorisedAccount : Aggregate;

public sealed class AggregateStreamsTests
{
    [Theory]
    [InlineData(typeof(BankAccount), "bank-account")]
    [InlineData(typeof(Order), "order")]
    [InlineData(typeof(HTTPRequestLog), "http-request-log")]
    [InlineData(typeof(Order2Line), "order2-line")]
    [InlineData(typeof(CategorisedAccount), "acct")]
    [InlineData(typeof(DispatchAggregate), "dispatch-aggregate")]
    public void Category_is_the_attribute_or_the_kebab_cased_type_name(Type type, string category)
        => Assert.Equal(category, AggregateStreams.CategoryOf(type));

    [Fact]
    public void Stream_id_is_category_dash_id()
    {
        Assert.Equal("bank-account-42", AggregateStreams.StreamId<BankAccount>("42"));
        Assert.Equal("acct-7f", AggregateStreams.StreamId<CategorisedAccount>("7f"));
        var type = typeof(Order);
        Assert.Equal("order-a-b", AggregateStreams.StreamId(type, "a-b"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_id_is_refused(string id) => Assert.Throws<ArgumentException>(() => AggregateStreams.StreamId<Order>(id));
}
