using System.Globalization;
using Confluent.Kafka;

namespace Eventuali.Messaging.Kafka;

/// <summary>
/// Where and how the Kafka adapter connects, and how relay topics map to Kafka topics: a relay topic (the category by
/// default) becomes <c>TopicPrefix + topic</c>, every character of the topic but ASCII letters, digits, '_' and '-'
/// replaced by '_' ('.' too, so a category stays one level under the prefix). The password never shows in
/// <see cref="object.ToString"/>.
/// </summary>
public sealed record KafkaOptions
{
    /// <summary>The bootstrap servers, <c>host:port[,host:port...]</c>.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>A SASL user (PLAIN over <see cref="SecurityProtocol"/>), or null for no login.</summary>
    public string? Username { get; init; }

    /// <summary>The SASL password; never shown in errors or logs.</summary>
    public string? Password { get; init; }

    /// <summary>The security protocol when a user is given: SASL_PLAINTEXT by default, SASL_SSL over TLS.</summary>
    public SecurityProtocol SecurityProtocol { get; init; } = SecurityProtocol.SaslPlaintext;

    /// <summary>Put before each relay topic to name the Kafka topic.</summary>
    public string TopicPrefix { get; init; } = "eventuali.";

    /// <summary>The largest message the producer sends (librdkafka's <c>message.max.bytes</c>); a larger one fails the batch clearly.</summary>
    public int MessageMaxBytes { get; init; } = 1_000_000;

    /// <summary>How long a message may wait for its delivery report (librdkafka's <c>message.timeout.ms</c>) before the batch fails.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the producer waits to fill a request before sending it (librdkafka's <c>linger.ms</c>): longer gives
    /// larger requests under load, and lets an aborted transaction's records be dropped before they are sent.
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Options from a URL <c>kafka://[user:password@]host:port[,host:port...]</c> (user and password URL-escaped; with
    /// them the login is SASL PLAIN). A malformed URL throws <see cref="ArgumentException"/> naming what is wrong, never
    /// the password.
    /// </summary>
    public static KafkaOptions FromUrl(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        const string scheme = "kafka://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("A Kafka URL starts with kafka:// (kafka://[user:password@]host:port[,host:port...]).", nameof(url));
        }

        var rest = url[scheme.Length..].TrimEnd('/');
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        var servers = rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var server in servers)
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                // Only the host is shown: a URL missing its '@' would otherwise show user:password as host:port.
                throw new ArgumentException($"The Kafka URL's server '{(colon <= 0 ? server : server[..colon])}' has no valid port (host:port).", nameof(url));
            }
        }

        if (servers.Length == 0)
        {
            throw new ArgumentException("The Kafka URL names no server: kafka://host:port[,host:port...].", nameof(url));
        }

        return new KafkaOptions { BootstrapServers = string.Join(',', servers), Username = user, Password = password };
    }

    /// <summary>The Kafka topic for relay topic <paramref name="topic"/>.</summary>
    public string TopicFor(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var chars = topic.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            // A category keeps one token: '.' would read as a level of the prefix.
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or '-'))
            {
                chars[i] = '_';
            }
        }

        return TopicPrefix + new string(chars);
    }

    /// <summary>The topic a consumer's dead letters go to: <c>TopicPrefix + "dead-letters." + consumer</c>.</summary>
    public string DeadLetterTopic(string consumer) => TopicPrefix + "dead-letters." + consumer;

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"BootstrapServers = {BootstrapServers}, Username = {Username}, Password = {(Password is null ? "" : "***")}, TopicPrefix = {TopicPrefix}");
        return true;
    }

    /// <summary>The bootstrap servers with nothing secret, for errors.</summary>
    internal string Where => BootstrapServers;

    internal void Apply(ClientConfig config)
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new InvalidOperationException("The Kafka bootstrap servers are empty: give host:port[,host:port...].");
        }

        config.BootstrapServers = BootstrapServers;
        config.ClientId = "eventuali";
        config.SocketConnectionSetupTimeoutMs = 10_000;
        if (Username is not null)
        {
            config.SecurityProtocol = SecurityProtocol;
            config.SaslMechanism = SaslMechanism.Plain;
            config.SaslUsername = Username;
            config.SaslPassword = Password ?? string.Empty;
        }
    }

    internal ProducerConfig Producer()
    {
        if (Linger < TimeSpan.Zero || Linger > TimeSpan.FromMinutes(15))
        {
            throw new ArgumentOutOfRangeException(nameof(Linger), Linger, "Linger must be between 0 and 15 minutes (librdkafka's linger.ms).");
        }

        var config = new ProducerConfig
        {
            // Idempotent: the broker drops a retried duplicate and keeps order within a partition; with the gapless
            // guarantee a message that failed for good makes the producer fail rather than let later ones pass it.
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            EnableGaplessGuarantee = true,
            LingerMs = Linger.TotalMilliseconds,
            MessageMaxBytes = MessageMaxBytes,
            MessageTimeoutMs = (int)PublishTimeout.TotalMilliseconds,
        };
        Apply(config);
        return config;
    }

    internal static string Describe(Error error) => string.Create(CultureInfo.InvariantCulture, $"{error.Reason} ({error.Code})");
}
