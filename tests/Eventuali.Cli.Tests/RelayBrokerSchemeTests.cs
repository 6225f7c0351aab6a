using Eventuali.Messaging.Redis;

namespace Eventuali.Cli.Tests;

/// <summary><c>relay run</c> picks Redis or RabbitMQ by the URL's scheme, against the servers scripts/brokers.sh started.</summary>
public sealed class RelayBrokerSchemeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Url(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } url ? url
        : throw new InvalidOperationException($"{variable} is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");

    [Theory]
    [InlineData("EVENTUALI_REDIS_URL", "Redis")]
    [InlineData("EVENTUALI_RABBITMQ_URL", "RabbitMQ")]
    public async Task Wrong_credentials_in_a_redis_or_amqp_url_fail_clearly_and_print_no_password(string variable, string broker)
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            await store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
        }

        var wrong = new UriBuilder(Url(variable)) { Password = "wrong-secret-4242" }.Uri.ToString();
        var run = await CliProcess.RunAsync(dir.Path, "relay", "run", "-d", db, "--route", "orders", "--broker-url", wrong, "--until-caught-up");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Cannot connect to {broker}", run.ToString(), StringComparison.Ordinal);
        Assert.Contains("refused the login of user 'eventuali'", run.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-4242", run.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_run_with_a_redis_url_publishes_every_event_to_the_category_stream()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        var category = "clirr" + Guid.NewGuid().ToString("N")[..8];
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            for (var i = 0; i < 20; i++)
            {
                await store.AppendAsync($"{category}-{i % 4}", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
            }
        }

        var run = await CliProcess.RunAsync(dir.Path, "relay", "run", "-d", db, "--route", "orders", "--broker-url", Url("EVENTUALI_REDIS_URL"), "--until-caught-up");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("20 messages confirmed", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(Url("EVENTUALI_REDIS_URL")).UserInfo.Split(':')[1], run.ToString(), StringComparison.Ordinal);

        await using var redis = await RedisConnect.ConnectAsync(Url("EVENTUALI_REDIS_URL"), Ct);
        var key = new RedisStreamsOptions().KeyPrefix + category;
        Assert.Equal(20, await redis.GetDatabase().StreamLengthAsync(key));
        await redis.GetDatabase().KeyDeleteAsync(key);
    }
}
