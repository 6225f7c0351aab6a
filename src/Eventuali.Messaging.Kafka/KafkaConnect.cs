using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>Checks a Kafka cluster answers before a relay or consumer relies on it; its errors never show a password.</summary>
public static class KafkaConnect
{
    /// <summary>
    /// Asks the cluster <paramref name="options"/> names for its metadata and returns how many brokers it has. An
    /// unreachable cluster or a refused login throws <see cref="InvalidOperationException"/> naming the bootstrap
    /// servers (and the user), never the password.
    /// </summary>
    public static Task<int> CheckAsync(KafkaOptions options, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AdminClientConfig();
        options.Apply(config);
        var wait = timeout ?? TimeSpan.FromSeconds(10);
        return Task.Run(() =>
        {
            string? authError = null;
            using var admin = new AdminClientBuilder(config)
                .SetLogHandler((_, _) => { })
                .SetErrorHandler((_, e) =>
                {
                    if (e.Code is ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication || e.Reason.Contains("SASL", StringComparison.OrdinalIgnoreCase))
                    {
                        authError = e.Reason;
                    }
                })
                .Build();
            try
            {
                return admin.GetMetadata(wait).Brokers.Count;
            }
            catch (KafkaException ex)
            {
                var reason = authError is not null
                    ? $"the cluster refused the login of user '{options.Username}' (wrong user or password, or no SASL listener)"
                    : options.Username is not null
                        ? $"the cluster could not be reached, or refused the login of user '{options.Username}', within {wait.TotalSeconds} s ({ex.Error.Code})"
                        : $"the cluster could not be reached within {wait.TotalSeconds} s ({ex.Error.Code})";
                throw new InvalidOperationException($"Cannot connect to Kafka at {options.Where}: {reason}.");
            }
        }, cancellationToken);
    }
}
