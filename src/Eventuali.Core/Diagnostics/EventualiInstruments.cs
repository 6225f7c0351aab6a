namespace Eventuali.Diagnostics;

/// <summary>
/// The instrument names of the <see cref="EventualiDiagnostics.MeterName"/> meter. Units are base units (seconds,
/// bytes, <c>{event}</c>); attributes are bounded: no stream ids, tenants or payloads.
/// </summary>
public static class EventualiInstruments
{
    /// <summary>Histogram, seconds: one append call. Attributes <c>db.system.name</c>, <c>error.type</c> (on failure).</summary>
    public const string AppendDuration = "eventuali.append.duration";

    /// <summary>Histogram, seconds: one stream or global-log read, from its first fetch until the reader finishes or stops. Attributes <c>db.system.name</c>, <c>db.operation.name</c>, <c>error.type</c> (on failure).</summary>
    public const string ReadDuration = "eventuali.read.duration";

    /// <summary>Counter, <c>{event}</c>: events appended. Attribute <c>db.system.name</c>.</summary>
    public const string EventsAppended = "eventuali.events.appended";

    /// <summary>Counter, <c>{event}</c>: events read. Attribute <c>db.system.name</c>.</summary>
    public const string EventsRead = "eventuali.events.read";

    /// <summary>Counter, <c>{conflict}</c>: appends refused because the expected version did not hold. Attribute <c>db.system.name</c>.</summary>
    public const string AppendConflicts = "eventuali.append.conflicts";

    /// <summary>Histogram, <c>{event}</c>: events per append call. Attribute <c>db.system.name</c>.</summary>
    public const string AppendBatchSize = "eventuali.append.batch.size";

    /// <summary>Histogram, <c>{append}</c>: appends decided together by one committed group-commit transaction (one refused by a version conflict counts too). Attribute <c>db.system.name</c>.</summary>
    public const string GroupCommitBatchSize = "eventuali.group_commit.batch.size";

    /// <summary>Gauge, <c>{event}</c>: events between a subscription's position and the head it last saw. Attribute <c>eventuali.subscription.name</c>.</summary>
    public const string SubscriptionLag = "eventuali.subscription.lag";

    /// <summary>Gauge, seconds: from the append of the last event a subscription handled until it was handled. Attribute <c>eventuali.subscription.name</c>.</summary>
    public const string SubscriptionLagTime = "eventuali.subscription.lag.time";

    /// <summary>Gauge, <c>{event}</c>: events between a projection's position and the head when it last read. Attribute <c>eventuali.projection.name</c>.</summary>
    public const string ProjectionLag = "eventuali.projection.lag";

    /// <summary>Gauge, seconds: age of the oldest event a projection had still to apply when it last read (0 when caught up). Attribute <c>eventuali.projection.name</c>.</summary>
    public const string ProjectionLagTime = "eventuali.projection.lag.time";

    /// <summary>Gauge, <c>{event}</c>: events between a message relay's confirmed checkpoint and the head when it last read. Attribute <c>eventuali.relay.route</c>.</summary>
    public const string RelayLag = "eventuali.relay.lag";

    /// <summary>Gauge, seconds: age of the oldest event a message relay had still to publish when it last read (0 when caught up). Attribute <c>eventuali.relay.route</c>.</summary>
    public const string RelayLagTime = "eventuali.relay.lag.time";

    /// <summary>Counter, <c>{event}</c>: events parked as dead letters. Attribute <c>eventuali.projection.name</c> (only projections park dead letters).</summary>
    public const string DeadLetters = "eventuali.dead_letters";

    /// <summary>Counter, <c>{snapshot}</c>: aggregate loads that looked for a snapshot. Attribute <c>eventuali.snapshot.hit</c> (true when one was used).</summary>
    public const string SnapshotLoads = "eventuali.snapshot.loads";

    /// <summary>Counter, <c>{lookup}</c>: aggregate loads that asked the aggregate cache. Attribute <c>eventuali.cache.result</c> (<c>hit</c>|<c>behind</c>|<c>miss</c>|<c>invalid</c>).</summary>
    public const string CacheLookups = "eventuali.cache.lookups";

    /// <summary>Counter, <c>{error}</c>: aggregate cache operations that failed (unreachable, timed out, circuit open). Attribute <c>eventuali.cache.operation</c> (<c>get</c>|<c>set</c>|<c>remove</c>).</summary>
    public const string CacheErrors = "eventuali.cache.errors";

    /// <summary>Observable gauge, 1: the share of aggregate cache lookups served from the cache (hit or behind) since the process started.</summary>
    public const string CacheHitRatio = "eventuali.cache.hit_ratio";

    /// <summary>Observable gauge, <c>{connection}</c>: a store's connections. Attributes <c>db.client.connection.state</c> (<c>idle</c>|<c>used</c>), <c>db.client.connection.pool.name</c>.</summary>
    public const string ConnectionCount = "db.client.connection.count";

    /// <summary>Observable gauge, seconds: how long the global log's readable head has not moved while committed events wait above it (0 when none waits).</summary>
    public const string WatermarkAge = "eventuali.global_log.watermark.age";

    /// <summary>Counter, <c>{lease}</c>: leases this process took (a projection or partition now runs here). Attribute <c>eventuali.lease.name</c>.</summary>
    public const string LeasesAcquired = "eventuali.lease.acquired";

    /// <summary>Counter, <c>{attempt}</c>: attempts to take a lease that another live holder kept. Attribute <c>eventuali.lease.name</c>.</summary>
    public const string LeasesDenied = "eventuali.lease.denied";

    /// <summary>Counter, <c>{lease}</c>: leases this process lost while holding them. Attributes <c>eventuali.lease.name</c>, <c>eventuali.lease.commit_refused</c> (true when the epoch check refused a commit).</summary>
    public const string LeasesLost = "eventuali.lease.lost";

    /// <summary>Counter, <c>{read}</c>: stream and global-log reads (pages) of a PostgreSQL store with read replicas. Attribute <c>eventuali.read.served_by</c> (<c>replica</c>|<c>primary</c>).</summary>
    public const string ReplicaReads = "eventuali.replica.reads";

    /// <summary>Observable gauge, bytes: WAL a read replica has still to replay against the primary's current position. Attribute <c>eventuali.replica</c> (host:port).</summary>
    public const string ReplicaLagBytes = "eventuali.replica.lag.bytes";

    /// <summary>Observable gauge, seconds: since the commit of the last transaction a read replica replayed (0 when it has replayed everything). Attribute <c>eventuali.replica</c>.</summary>
    public const string ReplicaLagSeconds = "eventuali.replica.lag.seconds";

    /// <summary>Counter, <c>{event}</c>: events appended by tenant stores, per tier (never per tenant). Attribute <c>eventuali.tenant.tier</c>.</summary>
    public const string TenantEventsAppended = "eventuali.tenant.events.appended";

    /// <summary>Counter, bytes: event payload bytes appended by tenant stores, per tier. Attribute <c>eventuali.tenant.tier</c>.</summary>
    public const string TenantBytesAppended = "eventuali.tenant.bytes.appended";

    /// <summary>
    /// Observable counter, <c>{event}</c>: events appended by each of the <see cref="TenantMetrics.TopTenants"/> tenants that
    /// appended most in this process (none by default). Attributes <c>eventuali.tenant.id</c>, <c>eventuali.tenant.tier</c>.
    /// </summary>
    public const string TopTenantEventsAppended = "eventuali.tenant.top.events.appended";

    /// <summary>Observable counter, bytes: payload bytes appended by the same top tenants. Attributes <c>eventuali.tenant.id</c>, <c>eventuali.tenant.tier</c>.</summary>
    public const string TopTenantBytesAppended = "eventuali.tenant.top.bytes.appended";
}
