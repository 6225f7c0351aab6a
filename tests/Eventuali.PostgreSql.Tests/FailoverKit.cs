using System.Diagnostics;
using System.Text.Json.Nodes;
using Eventuali.Projections;

namespace Eventuali.PostgreSql.Tests;

/// <summary>Helpers of the multi-process projection tests: appends, waiting for a worker's line or a projection state, the read model's counts.</summary>
internal static class FailoverKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Deposits of 1 to acct-0..acct-3 in turn, for i in [from, to).</summary>
    public static async Task AppendAsync(IEventStore store, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            await store.AppendAsync($"acct-{i % 4}", ExpectedVersion.Any, [EventData.Json("deposited", """{"amount":1}""")], Ct);
        }
    }

    public static async Task WaitForLineAsync(Process process, string expected, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new InvalidOperationException($"the worker exited before printing '{expected}': {await process.StandardError.ReadToEndAsync(Ct)}");
    }

    public static async Task<ProjectionStatus> WaitAsync(IEventStore store, Func<ProjectionStatus, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await store.GetProjectionStatusAsync("accounts", Ct) is { } status && done(status))
            {
                return status;
            }

            Assert.True(clock.Elapsed < timeout, "the projection did not reach the expected state in time");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>The projection has every event up to the head as of now, on <paramref name="owner"/> (any node when null).</summary>
    public static async Task<ProjectionStatus> CaughtUpAsync(IEventStore store, string? owner, TimeSpan timeout)
    {
        var head = await store.GetHeadPositionAsync(Ct);
        return await WaitAsync(store, s => (owner is null || s.Owner == owner) && s.State == ProjectionState.Running && s.Position >= head, timeout);
    }

    /// <summary>Each account's deposit count in the read model.</summary>
    public static async Task<Dictionary<string, int>> CountsAsync(IEventStore store)
    {
        var counts = new Dictionary<string, int>();
        await foreach (var d in store.GetProjectionStore().ReadProjectionDocumentsAsync("accounts", Ct))
        {
            counts[d.Key] = JsonNode.Parse(d.Json)!["count"]!.GetValue<int>();
        }

        return counts;
    }

    public static async Task StopAllAsync(IEnumerable<Process> processes)
    {
        foreach (var p in processes)
        {
            if (!p.HasExited)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }

            p.Dispose();
        }
    }
}
