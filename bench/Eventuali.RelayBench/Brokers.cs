namespace Eventuali.RelayBench;

/// <summary>The brokers the benchmark knows, each connected from the URL scripts/brokers.sh exports.</summary>
internal static class Brokers
{
    public static async ValueTask<IBrokerBench> ConnectAsync(string name, CancellationToken ct) => name switch
    {
        "nats" => await NatsBench.ConnectAsync(Url("EVENTUALI_NATS_URL", name), ct).ConfigureAwait(false),
        "redis" => await RedisBench.ConnectAsync(Url("EVENTUALI_REDIS_URL", name), ct).ConfigureAwait(false),
        "rabbitmq" => await RabbitMqBench.ConnectAsync(Url("EVENTUALI_RABBITMQ_URL", name), ct).ConfigureAwait(false),
        _ => throw new ArgumentException($"Unknown broker '{name}': the benchmark knows nats, redis and rabbitmq."),
    };

    private static string Url(string variable, string name) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } url ? url
        : throw new InvalidOperationException($"{variable} is not set, so {name} cannot be reached: start the brokers with eval \"$(bash scripts/brokers.sh)\".");
}
