using JasperFx;
using JasperFx.Events;
using Marten;

namespace Eventuali.MartenComparison;

/// <summary>
/// The benchmark workloads on Marten, configured the way its documentation recommends for
/// throughput: quick append mode, string stream identity, lightweight sessions.
/// </summary>
internal sealed class MartenWorkloads(string connectionString) : IAsyncDisposable
{
    private readonly DocumentStore _store = DocumentStore.For(options =>
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = "marten_compare";
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.Quick;
        options.AutoCreateSchemaObjects = AutoCreate.All;
    });

    public async Task ResetAsync(CancellationToken ct)
    {
        await _store.Advanced.Clean.CompletelyRemoveAllAsync(ct).ConfigureAwait(false);
        await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().ConfigureAwait(false);
    }

    /// <summary>A few untimed appends to their own streams, as <c>eventuali benchmark</c> makes before appending.</summary>
    public async Task WarmUpAppendsAsync(CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var session = _store.LightweightSession();
            session.Events.Append($"warmup-{i / 50}", Workload.Event(i, i));
            await session.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        await using var batch = _store.LightweightSession();
        batch.Events.StartStream("warmup-batch", Enumerable.Range(0, 50).Select(i => (object)Workload.Event(0, i)).ToArray());
        await batch.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    public async Task<Measurement> AppendBatchAsync(int events, int batch, CancellationToken ct, bool warmUp = true)
    {
        await ResetAsync(ct).ConfigureAwait(false);
        if (warmUp)
        {
            await WarmUpAppendsAsync(ct).ConfigureAwait(false);
        }

        var timer = new Timer();
        for (var s = 0; s < events / batch; s++)
        {
            var stream = $"account-{s}";
            var payload = Enumerable.Range(0, batch).Select(i => (object)Workload.Event(s, i)).ToArray();
            await timer.TimeAsync(async () =>
            {
                await using var session = _store.LightweightSession();
                session.Events.StartStream(stream, payload);
                await session.SaveChangesAsync(ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        return timer.Finish("append-batch", "marten", events / batch * batch);
    }

    public async Task<Measurement> AppendSingleAsync(int events, CancellationToken ct)
    {
        await ResetAsync(ct).ConfigureAwait(false);
        await WarmUpAppendsAsync(ct).ConfigureAwait(false);
        var timer = new Timer();
        for (var i = 0; i < events; i++)
        {
            var e = Workload.Event(i, i);
            await timer.TimeAsync(async () =>
            {
                await using var session = _store.LightweightSession();
                session.Events.Append($"account-{i / 50}", e);
                await session.SaveChangesAsync(ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        return timer.Finish("append-single", "marten", events);
    }

    public async Task<Measurement> AppendConcurrentAsync(int events, int writers, CancellationToken ct)
    {
        await ResetAsync(ct).ConfigureAwait(false);
        await WarmUpAppendsAsync(ct).ConfigureAwait(false);
        var timer = new Timer();
        var perWriter = events / writers;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var e = Workload.Event(w, i);
                await timer.TimeAsync(async () =>
                {
                    await using var session = _store.LightweightSession();
                    session.Events.Append($"account-{w}-{i / 50}", e);
                    await session.SaveChangesAsync(ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
        }, ct))).ConfigureAwait(false);
        return timer.Finish("append-concurrent", "marten", (long)perWriter * writers);
    }

    /// <summary>Writes streams of <paramref name="batch"/> events (untimed), then times live aggregation of each.</summary>
    public async Task<Measurement> LoadAggregateAsync(int events, int batch, CancellationToken ct)
    {
        await AppendBatchAsync(events, batch, ct, warmUp: false).ConfigureAwait(false);
        await using var session = _store.QuerySession();
        var warmUntil = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency;
        do
        {
            for (var s = 0; s < Math.Max(1, events / batch / 20); s++)
            {
                _ = await session.Events.AggregateStreamAsync<MartenAccount>($"account-{s}", token: ct).ConfigureAwait(false);
            }
        }
        while (System.Diagnostics.Stopwatch.GetTimestamp() < warmUntil);

        var timer = new Timer();
        for (var s = 0; s < events / batch; s++)
        {
            var stream = $"account-{s}";
            await timer.TimeAsync(async () =>
            {
                var account = await session.Events.AggregateStreamAsync<MartenAccount>(stream, token: ct).ConfigureAwait(false);
                if (account is null || account.Movements != batch)
                {
                    throw new InvalidOperationException($"Marten loaded {account?.Movements ?? 0} events of {stream}, expected {batch}.");
                }
            }).ConfigureAwait(false);
        }

        return timer.Finish("load-aggregate", "marten", events / batch * batch);
    }

    /// <summary>Writes <paramref name="expected"/> events (untimed), then times reading the whole log in position order, a page at a time, as an async projection would.</summary>
    public async Task<Measurement> ReadAllAsync(int expected, int pageSize, CancellationToken ct)
    {
        await AppendBatchAsync(expected, 50, ct, warmUp: false).ConfigureAwait(false);
        await using var session = _store.QuerySession();
        var warmUntil = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency;
        do
        {
            _ = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > 0).OrderBy(e => e.Sequence).Take(Math.Max(1, expected / 20)).ToListAsync(ct).ConfigureAwait(false);
        }
        while (System.Diagnostics.Stopwatch.GetTimestamp() < warmUntil);

        var timer = new Timer();
        long last = 0, seen = 0;
        while (true)
        {
            IReadOnlyList<IEvent> page = [];
            await timer.TimeAsync(async () =>
            {
                page = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > last).OrderBy(e => e.Sequence).Take(pageSize).ToListAsync(ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            seen += page.Count;
            last = page[^1].Sequence;
        }

        if (seen != expected)
        {
            throw new InvalidOperationException($"Marten read {seen} events, expected {expected}.");
        }

        return timer.Finish("read-all", "marten", seen);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
