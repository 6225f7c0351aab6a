using System.CommandLine;
using System.Globalization;
using Eventuali.Messaging;

namespace Eventuali.Cli.Commands;

/// <summary>
/// <c>eventuali relay run --route NAME ...</c> publishes a route of the log to a broker (the log is the outbox) until
/// stopped or, with <c>--until-caught-up</c>, until the confirmed checkpoint reaches the head;
/// <c>eventuali relay status</c> lists every route's checkpoint and lag.
/// </summary>
internal static class RelayCommand
{
    public static Command Create(CliIo io) => new("relay", "Publish the log to a message broker (NATS JetStream, Redis Streams, RabbitMQ, Kafka) with a checkpoint moved only after the broker confirmed.")
    {
        Run(io), Status(io),
    };

    private static Command Run(CliIo io)
    {
        var database = CommonOptions.Database();
        var route = new Option<string>("--route") { Description = "The route's name: its checkpoint and lease; one relay per route runs at a time.", Required = true };
        var category = new Option<string?>("--category") { Description = "Only streams whose id starts with this (default: every stream)." };
        var types = new Option<string[]>("--type") { Description = "Only these event types (repeatable; default: every type).", AllowMultipleArgumentsPerToken = false };
        var broker = new Option<string?>("--broker") { Description = $"The broker: {RelayBrokers.Names} (default: by the URL's scheme, nats:// redis:// amqp:// kafka://, else nats)." };
        var brokerUrl = new Option<string?>("--broker-url") { Description = "The broker's URL (default: $EVENTUALI_NATS_URL, $EVENTUALI_REDIS_URL or $EVENTUALI_RABBITMQ_URL or $EVENTUALI_KAFKA_URL by broker). A password in it is never printed." };
        var stream = new Option<string>("--jetstream") { Description = "The JetStream stream to publish into (created when missing).", DefaultValueFactory = _ => "EVENTUALI" };
        var prefix = new Option<string>("--subject-prefix") { Description = "NATS only: subjects are PREFIX.category; the stream captures PREFIX.> (two streams must not share a prefix).", DefaultValueFactory = _ => "eventuali" };
        var caughtUp = new Option<bool>("--until-caught-up") { Description = "Stop once everything up to the head is confirmed, instead of running until Ctrl+C." };
        var run = new Command("run", "Publish one route of the log until stopped.") { database, route, category, types, broker, brokerUrl, stream, prefix, caughtUp };
        Examples.Add(run, "eventuali relay run -d sqlite://orders.db --route orders --category order- --broker-url nats://user:pass@127.0.0.1:4222");
        Examples.Add(run, "eventuali relay run -d sqlite://orders.db --route orders --broker-url amqp://user:pass@127.0.0.1:5672");
        Examples.Add(run, "eventuali relay run -d sqlite://orders.db --route orders --category order- --broker-url kafka://127.0.0.1:9092");
        run.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var which = RelayBrokers.Resolve(parse.GetValue(broker), parse.GetValue(brokerUrl));
            var brokerAt = parse.GetValue(brokerUrl) ?? Environment.GetEnvironmentVariable(RelayBrokers.UrlVariable(which))
                ?? throw new UsageException($"relay run needs the broker's URL: give --broker-url or set {RelayBrokers.UrlVariable(which)}.");
            var relayRoute = new RelayRoute(parse.GetValue(route)!)
            {
                Category = parse.GetValue(category),
                EventTypes = parse.GetValue(types) is { Length: > 0 } t ? t : null,
            };
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var (publisher, where) = await RelayBrokers.OpenAsync(which, brokerAt, parse.GetValue(stream)!, parse.GetValue(prefix)!, ct).ConfigureAwait(false);
                await using (publisher.ConfigureAwait(false))
                {
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var relay = new EventRelay(store, publisher, relayRoute);
                    var running = relay.RunAsync(stop.Token);
                    await io.Error.WriteLineAsync($"relay '{relayRoute.Name}': publishing to {where}; Ctrl+C stops it.").ConfigureAwait(false);
                    try
                    {
                        await RelayWatch.WatchAsync(store, relay, running, parse.GetValue(caughtUp), io.Error, ct).ConfigureAwait(false);
                        await stop.CancelAsync().ConfigureAwait(false);
                        await running.ConfigureAwait(false);
                    }
                    catch (BrokerConfigurationException error)
                    {
                        return Fail(io, error);
                    }

                    await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"relay '{relayRoute.Name}': {relay.Published} messages confirmed by the broker.")).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
            }
        });
        return run;
    }

    private static int Fail(CliIo io, Exception error)
    {
        io.Error.WriteLine($"eventuali: relay stopped after: {error.Message}");
        return ExitCodes.Failure;
    }

    private static Command Status(CliIo io)
    {
        var database = CommonOptions.Database();
        var status = new Command("status", "Every relay route's confirmed checkpoint, the head of the log and the lag.") { database };
        Examples.Add(status, "eventuali relay status -d sqlite://orders.db");
        status.SetAction(async (parse, ct) =>
        {
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            var store = await CommonOptions.OpenAsync(url, ct).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var rows = await RelayStatus.ListAsync(store, ct).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    await io.Out.WriteLineAsync("No relay route has run on this store.").ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                await io.Out.WriteLineAsync("route\tposition\thead\tlag\towner\tupdated").ConfigureAwait(false);
                foreach (var r in rows)
                {
                    await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{r.Route}\t{r.Position}\t{r.HeadPosition}\t{r.Lag}\t{r.Owner}\t{r.UpdatedAt:O}")).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
        });
        return status;
    }
}
