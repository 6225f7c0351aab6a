using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Messaging.Tests;

/// <summary>
/// The Redis and RabbitMQ servers scripts/brokers.sh started: their URLs, and killing one from its pid file and starting
/// it again through the script, as an operator would. Tests that do this run in the non-parallel collection below.
/// </summary>
internal static class BrokerServers
{
    public static string Url(string broker)
    {
        var name = $"EVENTUALI_{broker.ToUpperInvariant()}_URL";
        return Environment.GetEnvironmentVariable(name) is { Length: > 0 } url ? url
            : throw new InvalidOperationException($"{name} is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");
    }

    private static string DataDir => Environment.GetEnvironmentVariable("EVENTUALI_BROKERS_DATA") is { Length: > 0 } dir ? dir
        : throw new InvalidOperationException("EVENTUALI_BROKERS_DATA is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");

    /// <summary>SIGKILLs the broker's server process (its pid from the pid file the script keeps), as a crash would.</summary>
    public static void Kill(string broker)
    {
        var pidFile = Path.Combine(DataDir, broker + ".pid");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        Assert.True(process.WaitForExit(15_000), $"{broker} (pid {pid}) did not exit after SIGKILL");
    }

    /// <summary>Starts the broker again through scripts/brokers.sh, on the same port and data directory.</summary>
    public static async Task RestartAsync(string broker)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoRoot(), "scripts", "brokers.sh"), "start", broker])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["EVENTUALI_BROKERS_DATA"] = DataDir;
        info.Environment[$"EVENTUALI_{broker.ToUpperInvariant()}_PORT"] = new Uri(Url(broker)).Port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync(); // the URLs, with the password: read and dropped, never printed
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"scripts/brokers.sh start {broker} failed: {await stderr}");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eventuali.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Eventuali.sln) was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The Redis and RabbitMQ tests kill and restart the shared servers: they run one at a time, apart from the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerRestartCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "broker restarts";
}

/// <summary>
/// The consuming side: every delivery through the inbox, whose handler keeps per stream the last version applied and
/// how many were applied (one document per stream), noting any version out of order.
/// </summary>
internal sealed class OrderedInboxConsumer
{
    private long _deliveries;

    public ConcurrentQueue<string> Violations { get; } = new();

    public long Deliveries => Interlocked.Read(ref _deliveries);

    public async ValueTask HandleAsync(MessageInbox inbox, InboundMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref _deliveries);
        await inbox.HandleAsync(message.MessageId, (tx, c) => ApplyAsync(tx, message, c), ct);
    }

    private async ValueTask ApplyAsync(IProjectionTransaction tx, InboundMessage message, CancellationToken ct)
    {
        var stream = message.Headers[MessageHeaders.StreamId];
        var version = long.Parse(message.Headers[MessageHeaders.StreamVersion], CultureInfo.InvariantCulture);
        var doc = await tx.Documents.GetAsync(stream, ct);
        long last = 0, count = 0;
        if (doc is not null)
        {
            using var json = JsonDocument.Parse(doc);
            last = json.RootElement.GetProperty("last").GetInt64();
            count = json.RootElement.GetProperty("count").GetInt64();
        }

        if (version != last + 1)
        {
            Violations.Enqueue($"{stream}: version {version} applied after {last}");
        }

        await tx.Documents.PutAsync(stream, string.Create(CultureInfo.InvariantCulture, $"{{\"last\":{version},\"count\":{count + 1}}}"), ct);
    }

    /// <summary>Per stream: the last version applied and how many were applied, read back from the consumer's store.</summary>
    public static async Task<Dictionary<string, (long Last, long Count)>> ReadAsync(IEventStore store, string inbox, CancellationToken ct)
    {
        var result = new Dictionary<string, (long, long)>();
        await foreach (var doc in store.GetFeature<IProjectionStore>()!.ReadProjectionDocumentsAsync(inbox, ct))
        {
            using var json = JsonDocument.Parse(doc.Json);
            result[doc.Key] = (json.RootElement.GetProperty("last").GetInt64(), json.RootElement.GetProperty("count").GetInt64());
        }

        return result;
    }
}
