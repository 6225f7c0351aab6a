using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Eventuali.Projections;

namespace Eventuali.Conformance;

/// <summary>
/// A counting projection: per stream, how many "deposited" events and their total. Counting is not idempotent,
/// so an event applied twice shows up. Events whose payload has "poison": true throw. Side effects (one per
/// event) are recorded unless replaying.
/// </summary>
public sealed class CountingProjection : Projection
{
    public CountingProjection(string name = "accounts", ProjectionFailurePolicy? policy = null, int partitions = 1)
        : base(name)
    {
        Partitions = partitions;
        FailurePolicy = policy ?? new ProjectionFailurePolicy { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(5) };
        On("deposited", DepositAsync);
        On("closed", async (e, ctx, ct) => await ctx.Documents.DeleteAsync(e.StreamId, ct));
    }

    public ConcurrentQueue<long> SideEffects { get; } = new();

    /// <summary>When set, the handler blocks (until cancelled) once this many events have been applied: a run stopped mid-batch.</summary>
    public int? HoldAfter { get; init; }

    /// <summary>Completes when the handler has started holding.</summary>
    public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, poison events are applied like any other (the handler was fixed).</summary>
    public bool AcceptPoison { get; set; }

    /// <summary>When set, awaited once before the first event is applied (without the cancellation token): a node stuck mid-batch.</summary>
    public Func<Task>? HoldOnce { get; init; }

    private int _attempts;
    private int _heldOnce;

    public int Attempts => Volatile.Read(ref _attempts);

    private async ValueTask DepositAsync(RecordedEvent e, ProjectionContext ctx, CancellationToken ct)
    {
        if (HoldOnce is { } hold && Interlocked.Exchange(ref _heldOnce, 1) == 0)
        {
            await hold();
        }

        if (Interlocked.Increment(ref _attempts) > HoldAfter)
        {
            Holding.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }
        var payload = JsonNode.Parse(e.Data.Span)!;
        if (payload["poison"]?.GetValue<bool>() == true && !AcceptPoison)
        {
            throw new InvalidOperationException($"poison event at {e.Position}");
        }

        var current = await ctx.Documents.GetAsync(e.StreamId, ct) is { } json ? JsonNode.Parse(json)! : new JsonObject { ["count"] = 0, ["total"] = 0 };
        current["count"] = current["count"]!.GetValue<int>() + 1;
        current["total"] = current["total"]!.GetValue<int>() + payload["amount"]!.GetValue<int>();
        await ctx.Documents.PutAsync(e.StreamId, current.ToJsonString(), ct);
        if (!ctx.IsReplaying)
        {
            SideEffects.Enqueue(e.Position);
        }
    }
}

internal static class ProjectionTestData
{
    public static EventData Deposit(int amount, bool poison = false)
        => TestData.Json("deposited", poison ? $$"""{"amount":{{amount}},"poison":true}""" : $$"""{"amount":{{amount}}}""");

    /// <summary>Appends <paramref name="perStream"/> deposits of 1..n to each of <paramref name="streams"/> accounts, interleaved.</summary>
    public static async Task FillAsync(IEventStore store, int streams, int perStream, string prefix = "acct-")
    {
        for (var i = 1; i <= perStream; i++)
        {
            for (var s = 0; s < streams; s++)
            {
                await store.AppendEventsAsync($"{prefix}{s}", ExpectedVersion.Any, Deposit(i));
            }
        }
    }

    /// <summary>The read model as key to (count, total).</summary>
    public static async Task<SortedDictionary<string, (int Count, int Total)>> ReadModelAsync(IEventStore store, string projection)
    {
        var result = new SortedDictionary<string, (int, int)>(StringComparer.Ordinal);
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync(projection, TestContext.Current.CancellationToken))
        {
            var node = JsonNode.Parse(d.Json)!;
            result[d.Key] = (node["count"]!.GetValue<int>(), node["total"]!.GetValue<int>());
        }

        return result;
    }

    public static ProjectionDaemonOptions FastOptions(string node = "node-a", int batchSize = 50) => new()
    {
        NodeId = node,
        BatchSize = batchSize,
        PollInterval = TimeSpan.FromMilliseconds(20),
        LeaseRetryInterval = TimeSpan.FromMilliseconds(100),
    };

    public static async Task<ProjectionStatus> CatchUpAsync(ProjectionDaemon daemon, string name = "accounts")
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        return await daemon.WaitForCatchUpAsync(name, timeout.Token);
    }
}
