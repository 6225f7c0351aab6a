using Eventuali.Messaging.Nats;
using NATS.Client.JetStream;

namespace Eventuali.Cli.Tests;

/// <summary><c>relay run</c> and <c>relay status</c> against the NATS server scripts/brokers.sh started.</summary>
public sealed class RelayCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NatsUrl => Environment.GetEnvironmentVariable("EVENTUALI_NATS_URL") is { Length: > 0 } url ? url
        : throw new InvalidOperationException("EVENTUALI_NATS_URL is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");

    [Fact]
    public async Task Relay_run_publishes_until_caught_up_and_status_shows_the_checkpoint_at_the_head()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            for (var i = 0; i < 30; i++)
            {
                await store.AppendAsync($"order-{i % 3}", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
                await store.AppendAsync($"invoice-{i % 3}", ExpectedVersion.Any, [EventData.Json("issued", "{}")], Ct);
            }
        }

        var before = await CliProcess.RunAsync(dir.Path, "relay", "status", "-d", db);
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("No relay route has run", before.Out, StringComparison.Ordinal);

        // A stream and subject prefix of its own: two streams capturing the same subjects is what the broker refuses.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var run = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["EVENTUALI_NATS_URL"] = NatsUrl },
            "relay", "run", "-d", db, "--route", "orders", "--category", "order-", "--jetstream", "CLI" + tag, "--subject-prefix", "cli" + tag, "--until-caught-up");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("relay 'orders': 30 messages confirmed by the broker.", run.Out, StringComparison.Ordinal);

        // The broker holds them, not just the relay's count.
        await using (var nats = await NatsConnect.ConnectAsync(NatsUrl, cancellationToken: Ct))
        {
            var stored = await new NatsJSContext(nats).GetStreamAsync("CLI" + tag, cancellationToken: Ct);
            Assert.Equal(30, stored.Info.State.Messages);
        }

        var status = await CliProcess.RunAsync(dir.Path, "relay", "status", "-d", db);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("orders\t60\t60\t0\t", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_the_broker_refuses_stops_the_relay_with_the_reason_instead_of_retrying_forever()
    {
        // The relay once hung here: a second stream over the same subjects is refused by JetStream on every attempt,
        // and the relay retried it silently while --until-caught-up waited for a checkpoint that could never move.
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            await store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
        }

        var tag = Guid.NewGuid().ToString("N")[..8];
        var env = new Dictionary<string, string?> { ["EVENTUALI_NATS_URL"] = NatsUrl };
        var first = await CliProcess.RunAsync(dir.Path, env, "relay", "run", "-d", db, "--route", "a", "--jetstream", "CLIA" + tag, "--subject-prefix", "cli" + tag, "--until-caught-up");
        Assert.True(first.ExitCode == 0, first.ToString());

        var second = await CliProcess.RunAsync(dir.Path, env, "relay", "run", "-d", db, "--route", "b", "--jetstream", "CLIB" + tag, "--subject-prefix", "cli" + tag, "--until-caught-up");
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains($"refused the stream 'CLIB{tag}'", second.Error, StringComparison.Ordinal);
        Assert.Contains("overlap", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_broker_credentials_fail_with_a_clear_message_and_no_password()
    {
        using var dir = new TempDirectory();
        var db = "sqlite://" + dir.File("orders.db");
        await using (var store = await EventStore.CreateAsync(db, EventStoreOptions.Default, Ct))
        {
            await store.AppendAsync("order-1", ExpectedVersion.Any, [EventData.Json("placed", "{}")], Ct);
        }

        var wrong = new UriBuilder(NatsUrl) { Password = "wrong-secret-4242" }.Uri.ToString();
        var run = await CliProcess.RunAsync(dir.Path, "relay", "run", "-d", db, "--route", "orders", "--broker-url", wrong, "--until-caught-up");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused the login of user 'eventuali'", run.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-4242", run.ToString(), StringComparison.Ordinal);
    }
}
