namespace Eventuali.Messaging.Tests;

/// <summary>The Redis and RabbitMQ tests start, kill and restart servers: they run one at a time, apart from the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerRestartCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "broker restarts";
}
