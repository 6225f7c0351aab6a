using System.Diagnostics;
using System.Globalization;
using Eventuali.CrashTests.Writer;

namespace Eventuali.CrashTests;

/// <summary>Runs the crash writer as a real child process and collects the appends it acknowledged.</summary>
internal sealed class WriterProcess
{
    private static readonly string WriterDll = Path.Combine(AppContext.BaseDirectory, "Eventuali.CrashTests.Writer.dll");

    public static Task<List<Ack>> RunAsync(string url, CrashPlan plan, long first, long? count, TimeSpan? killAfterReady, CancellationToken ct)
        => RunAsync(url, plan, first.ToString(CultureInfo.InvariantCulture), count, killAfterReady, ct);

    /// <summary>Concurrent lanes: one first append per stream, every lane appending at once.</summary>
    public static Task<List<Ack>> RunLanesAsync(string url, CrashPlan plan, IEnumerable<long> firstOfLanes, long? countPerLane, TimeSpan? killAfterReady, CancellationToken ct)
        => RunAsync(url, plan, string.Join(',', firstOfLanes.Select(f => f.ToString(CultureInfo.InvariantCulture))), countPerLane, killAfterReady, ct);

    /// <summary>Concurrent lanes, killed with SIGKILL as soon as <paramref name="killAfterAcks"/> appends were acknowledged (mid-load).</summary>
    public static Task<List<Ack>> RunLanesUntilAsync(string url, CrashPlan plan, IEnumerable<long> firstOfLanes, int killAfterAcks, CancellationToken ct)
        => RunAsync(url, plan, string.Join(',', firstOfLanes.Select(f => f.ToString(CultureInfo.InvariantCulture))), null, null, ct, killAfterAcks);

    private static async Task<List<Ack>> RunAsync(string url, CrashPlan plan, string first, long? count, TimeSpan? killAfterReady, CancellationToken ct, int? killAfterAcks = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { WriterDll, url, plan.Run.ToString(), plan.Streams.ToString(CultureInfo.InvariantCulture), plan.Batch.ToString(CultureInfo.InvariantCulture), first })
        {
            start.ArgumentList.Add(arg);
        }

        if (count is { } c)
        {
            start.ArgumentList.Add(c.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var acks = new List<Ack>();
        var ready = new TaskCompletionSource();
        var enough = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                if (line == "ready")
                {
                    ready.TrySetResult();
                    continue;
                }

                var parts = line.Split(' ');
                lock (acks)
                {
                    acks.Add(new Ack(long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture)));
                    if (acks.Count >= killAfterAcks)
                    {
                        enough.TrySetResult();
                    }
                }
            }
        }, ct);

        if (killAfterReady is { } delay)
        {
            await Task.WhenAny(ready.Task, process.WaitForExitAsync(ct)).WaitAsync(TimeSpan.FromSeconds(60), ct);
            await Task.Delay(delay, ct);

            // Process.Kill sends SIGKILL on Unix: no finally blocks, no flushes, no disposal.
            process.Kill();
        }

        if (killAfterAcks is not null)
        {
            // Killed while the writer is still appending: the condition is a count of acknowledged appends, not a delay.
            await Task.WhenAny(enough.Task, process.WaitForExitAsync(ct)).WaitAsync(TimeSpan.FromSeconds(120), ct);
            process.Kill();
        }

        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(120), ct);
        await reader;
        if (killAfterReady is null && killAfterAcks is null && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"crash writer exited with {process.ExitCode}: {await stderr}");
        }

        return acks;
    }
}

internal readonly record struct Ack(long Append, long Version, long Position);
