using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting;

/// <summary>
/// Every log event of this package, source-generated. Stores appear only as redacted URLs; no event carries a
/// payload. Event ids are stable (docs/hosting.md lists them).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "StoreOpened", Level = LogLevel.Information, Message = "Opened the Eventuali store {Store} in {ElapsedMs} ms")]
    public static partial void StoreOpened(ILogger logger, string store, long elapsedMs);

    [LoggerMessage(EventId = 2, EventName = "StoreOpenFailed", Level = LogLevel.Error, Message = "Could not open the Eventuali store {Store}")]
    public static partial void StoreOpenFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 10, EventName = "ServiceStarted", Level = LogLevel.Information, Message = "Eventuali {Service} started")]
    public static partial void ServiceStarted(ILogger logger, string service);

    [LoggerMessage(EventId = 11, EventName = "ServiceStopped", Level = LogLevel.Information, Message = "Eventuali {Service} stopped")]
    public static partial void ServiceStopped(ILogger logger, string service);

    [LoggerMessage(EventId = 12, EventName = "ServiceFaulted", Level = LogLevel.Error, Message = "Eventuali {Service} stopped with an error")]
    public static partial void ServiceFaulted(ILogger logger, string service, Exception exception);

    [LoggerMessage(EventId = 13, EventName = "ServiceStopAbandoned", Level = LogLevel.Warning, Message = "Eventuali {Service} did not finish stopping before the host's shutdown timeout")]
    public static partial void ServiceStopAbandoned(ILogger logger, string service);

    [LoggerMessage(EventId = 20, EventName = "WatermarkStalled", Level = LogLevel.Warning, Message = "The global log's readable head has stayed at {ReadableHead} for {StalledSeconds} s while committed events reach {CommittedHead}")]
    public static partial void WatermarkStalled(ILogger logger, long readableHead, long committedHead, long stalledSeconds);

    [LoggerMessage(EventId = 21, EventName = "DeadLettersGrew", Level = LogLevel.Warning, Message = "Projection {Projection} dead letters grew from {Before} to {After}")]
    public static partial void DeadLettersGrew(ILogger logger, string projection, long before, long after);

    [LoggerMessage(EventId = 30, EventName = "ProjectionLeaseAcquired", Level = LogLevel.Information, Message = "Took the lease of projection {Projection} at epoch {Epoch}; this node runs it")]
    public static partial void ProjectionLeaseAcquired(ILogger logger, string projection, long epoch);

    [LoggerMessage(EventId = 31, EventName = "ProjectionLeaseDenied", Level = LogLevel.Information, Message = "Another node holds the lease of projection {Projection}; this node stands by")]
    public static partial void ProjectionLeaseDenied(ILogger logger, string projection);

    [LoggerMessage(EventId = 32, EventName = "ProjectionLeaseLost", Level = LogLevel.Warning, Message = "Lost the lease of projection {Projection} held at epoch {Epoch}; another node runs it")]
    public static partial void ProjectionLeaseLost(ILogger logger, string projection, long epoch, Exception? exception);

    [LoggerMessage(EventId = 33, EventName = "ProjectionLeaseReleased", Level = LogLevel.Information, Message = "Released the lease of projection {Projection} (epoch {Epoch})")]
    public static partial void ProjectionLeaseReleased(ILogger logger, string projection, long epoch, Exception? exception);
}
