namespace Eventuali.Cli.Tests;

/// <summary><c>relay run</c> with a kafka:// URL, against the Kafka mock cluster scripts/kafka-mock.sh started.</summary>
public sealed class RelayKafkaCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Bootstrap => Environment.GetEnvironmentVariable("EVENTUALI_KAFKA_BOOTSTRAP") is { Length: > 0 } url ? url
        : throw new InvalidOperationException("EVENTUALI_KAFKA_BOOTSTRAP is not set: start the mock cluster with eval \"$(bash scripts/kafka-mock.sh | tail -n 1)\".");

    [Fact]
    public async Task A_kafka_url_relays_the_route_until_caught_up_and_status_shows_no_lag()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            for (var i = 0; i < 20; i++)
            {
                await store.AppendAsync($"order-{i % 4}", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
            }
        }

        var run = await CliProcess.RunAsync(dir.Path, "relay", "run", "-d", db, "--route", "orders-" + Guid.NewGuid().ToString("N")[..8], "--category", "order-", "--broker-url", "kafka://" + Bootstrap, "--until-caught-up");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("20 messages confirmed by the broker", run.Out, StringComparison.Ordinal);
        Assert.Contains($"publishing to kafka at {Bootstrap}", run.ToString(), StringComparison.Ordinal);

        var status = await CliProcess.RunAsync(dir.Path, "relay", "status", "-d", db);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("\t20\t20\t0\t", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kafka_login_refused_fails_with_a_clear_message_and_no_password()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            await store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
        }

        // The mock cluster has no SASL listener, so any login is refused, as a wrong password would be.
        var run = await CliProcess.RunAsync(dir.Path, "relay", "run", "-d", db, "--route", "orders", "--broker-url", $"kafka://eventuali:wrong-secret-4242@{Bootstrap}", "--until-caught-up");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Cannot connect to Kafka at {Bootstrap}", run.ToString(), StringComparison.Ordinal);
        Assert.Contains("user 'eventuali'", run.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-4242", run.ToString(), StringComparison.Ordinal);
    }
}
