namespace Eventuali.PostgreSql.Tests;

/// <summary>How many group-commit batches a store commits at once: the URL key, the keyword, the default and refusals.</summary>
public sealed class AppendBatchesSettingTests
{
    [Fact]
    public void Default_is_two_capped_by_the_pool_size()
    {
        Assert.Equal(PgSettings.DefaultAppendBatches, PgSettings.Parse("postgresql://u@h/db", EventStoreOptions.Default).AppendBatches);
        Assert.Equal(1, PgSettings.Parse("postgresql://u@h/db?Maximum%20Pool%20Size=1", EventStoreOptions.Default).AppendBatches);
    }

    [Fact]
    public void Url_key_and_keyword_set_it()
    {
        Assert.Equal(1, PgSettings.Parse("postgresql://u@h/db?schema=s&append_batches=1", EventStoreOptions.Default).AppendBatches);
        Assert.Equal(8, PgSettings.Parse("Host=h;Username=u;Database=d;Append Batches=8", EventStoreOptions.Default).AppendBatches);
    }

    [Theory]
    [InlineData("postgresql://u@h/db?append_batches=0", "'0'")]
    [InlineData("postgresql://u@h/db?append_batches=many", "'many'")]
    [InlineData("postgresql://u@h/db?append_batches=-2", "'-2'")]
    [InlineData("postgresql://u@h/db?append_batches=11&Maximum%20Pool%20Size=10", "(10)")]
    public void Bad_values_are_refused_naming_the_setting(string url, string detail)
    {
        var error = Assert.Throws<EventStoreConfigurationException>(() => PgSettings.Parse(url, EventStoreOptions.Default));
        Assert.Contains("append_batches", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }
}
