using System.Diagnostics;
using static Eventuali.ServerBench.Stats;

namespace Eventuali.ServerBench;

/// <summary>
/// Appends of 50-event batches by N concurrent writers, each on a stream of its own: over HTTP (one keep-alive client,
/// N requests in flight) against IEventStore.AppendAsync in process on the same store, alternated round by round.
/// </summary>
internal static class AppendBench
{
    public sealed record Result(string Store, double Http, double InProcess)
    {
        public double Ratio => Http / InProcess;
    }

    public static async Task<Result> RunAsync(string label, IEventStore store, ServerProcess server, int writers, int batchesPerWriter, int runs)
    {
        using var http = server.Client();
        var bodies = Enumerable.Range(0, 16).Select(i => Workload.Body(i * Workload.BatchSize)).ToArray();

        async Task<double> HttpRound(string run, int batches)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
            {
                for (var b = 0; b < batches; b++)
                {
                    await Workload.PostAsync(http, $"http-{run}-{w}", bodies[b % bodies.Length]);
                }
            }));
            return writers * batches * Workload.BatchSize / clock.Elapsed.TotalSeconds;
        }

        async Task<double> InProcessRound(string run, int batches)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
            {
                for (var b = 0; b < batches; b++)
                {
                    await store.AppendAsync($"local-{run}-{w}", ExpectedVersion.Any, Workload.Batch(b % 16 * Workload.BatchSize));
                }
            }));
            return writers * batches * Workload.BatchSize / clock.Elapsed.TotalSeconds;
        }

        // A short round of each first: the JIT, the connection pools and the server's key table warm up.
        await HttpRound("warm", Math.Max(1, batchesPerWriter / 5));
        await InProcessRound("warm", Math.Max(1, batchesPerWriter / 5));
        var httpRates = new List<double>();
        var localRates = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            // Alternated, and the order swapped each round, so neither side always runs on a warmer or busier machine.
            if (r % 2 == 0)
            {
                httpRates.Add(await HttpRound("r" + r, batchesPerWriter));
                localRates.Add(await InProcessRound("r" + r, batchesPerWriter));
            }
            else
            {
                localRates.Add(await InProcessRound("r" + r, batchesPerWriter));
                httpRates.Add(await HttpRound("r" + r, batchesPerWriter));
            }

            Console.WriteLine(F($"  {label} round {r + 1}: HTTP {httpRates[^1]:N0} events/s, in process {localRates[^1]:N0} events/s (load {LoadAverage()})"));
        }

        return new Result(label, Median(httpRates), Median(localRates));
    }
}
