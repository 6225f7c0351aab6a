namespace Eventuali.PostgreSql.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void Url_parts_are_percent_decoded_and_mapped()
    {
        var s = PgSettings.Parse("postgres://us%40er:p%3Ass%2Fw%40rd@db.example:6543/my%20db?schema=sales&sslmode=disable&application_name=app", EventStoreOptions.Default);
        Assert.Equal("us@er", s.Builder.Username);
        Assert.Equal("p:ss/w@rd", s.Builder.Password);
        Assert.Equal("db.example", s.Builder.Host);
        Assert.Equal(6543, s.Builder.Port);
        Assert.Equal("my db", s.Builder.Database);
        Assert.Equal("sales", s.Schema);
        Assert.Equal(Npgsql.SslMode.Disable, s.Builder.SslMode);
        Assert.Equal("app", s.Builder.ApplicationName);
        Assert.DoesNotContain("p:ss", s.Describe, StringComparison.Ordinal);
        Assert.DoesNotContain("p:ss", s.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_and_keyword_connection_strings()
    {
        var s = PgSettings.Parse("postgresql://u@[::1]/db", EventStoreOptions.Default);
        Assert.Equal("::1", s.Builder.Host);
        Assert.Equal(5432, s.Builder.Port);
        Assert.Equal("eventuali", s.Schema);
        Assert.Contains("synchronous_commit=on", s.Builder.Options, StringComparison.Ordinal);

        var k = PgSettings.Parse("Host=localhost;Port=5433;Username=u;Password=p;Database=d;Schema=ledger", EventStoreOptions.Default with { Durability = Durability.Relaxed });
        Assert.Equal("ledger", k.Schema);
        Assert.Equal(5433, k.Builder.Port);
        Assert.Contains("synchronous_commit=off", k.Builder.Options, StringComparison.Ordinal);
        Assert.Equal("ledger_appended", k.Channel);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("order-", "order.")]
    [InlineData("x\uFFFF", "y")]
    public void Category_upper_bound_is_above_every_stream_with_the_prefix(string prefix, string upper)
    {
        Assert.Equal(upper, PrefixRange.UpperBound(prefix));
        Assert.True(string.CompareOrdinal(prefix + "\uD7FEzzz", PrefixRange.UpperBound(prefix)) < 0);
    }
}
