namespace Eventuali.Messaging.Kafka.Tests;

/// <summary>The documented topic mapping and the URL form the CLI accepts.</summary>
public sealed class KafkaOptionsTests
{
    [Fact]
    public void A_category_maps_to_one_topic_level_under_the_prefix()
    {
        var options = new KafkaOptions { BootstrapServers = "127.0.0.1:9092" };
        Assert.Equal("eventuali.order", options.TopicFor("order"));
        Assert.Equal("eventuali.order_eu_x_", options.TopicFor("order.eu/x!"));
        Assert.Equal("eventuali.dead-letters.shipping", options.DeadLetterTopic("shipping"));
    }

    [Fact]
    public void A_url_gives_servers_and_login_and_the_password_never_shows()
    {
        var options = KafkaOptions.FromUrl("kafka://alice:p%40ss@10.0.0.1:9092,10.0.0.2:9093/");
        Assert.Equal("10.0.0.1:9092,10.0.0.2:9093", options.BootstrapServers);
        Assert.Equal("alice", options.Username);
        Assert.Equal("p@ss", options.Password);
        Assert.DoesNotContain("p@ss", options.ToString(), StringComparison.Ordinal);
        Assert.Null(KafkaOptions.FromUrl("kafka://127.0.0.1:9092").Username);
    }

    [Theory]
    [InlineData("nats://127.0.0.1:4222", "starts with kafka://")]
    [InlineData("kafka://bob:secret@127.0.0.1", "'127.0.0.1' has no valid port")]
    [InlineData("kafka://bob:secret", "'bob' has no valid port")]
    [InlineData("kafka://bob:secret@", "names no server")]
    public void A_malformed_url_is_refused_naming_what_is_wrong_without_the_password(string url, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => KafkaOptions.FromUrl(url));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
