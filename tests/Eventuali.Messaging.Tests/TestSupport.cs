using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Eventuali.Messaging.Nats;
using Eventuali.Sqlite;
using NATS.Client.Core;

namespace Eventuali.Messaging.Tests;

/// <summary>A SQLite store in a directory of its own, deleted afterwards.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eventuali-msg-" + Guid.NewGuid().ToString("N"));

    private TempStore()
    {
    }

    public IEventStore Store { get; private set; } = null!;

    public static async Task<TempStore> OpenAsync()
    {
        var temp = new TempStore();
        Directory.CreateDirectory(temp._dir);
        temp.Store = await SqliteEventStore.OpenAsync(Path.Combine(temp._dir, "events.db"), EventStoreOptions.Default, TestContext.Current.CancellationToken);
        return temp;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Broker
{
    /// <summary>The NATS server scripts/brokers.sh started; the test fails clearly when it is missing.</summary>
    public static string NatsUrl => Environment.GetEnvironmentVariable("EVENTUALI_NATS_URL") is { Length: > 0 } url ? url
        : throw new InvalidOperationException("EVENTUALI_NATS_URL is not set: start the brokers with eval \"$(bash scripts/brokers.sh)\".");

    public static ValueTask<NatsConnection> ConnectAsync(CancellationToken ct) => NatsConnect.ConnectAsync(NatsUrl, cancellationToken: ct);

    /// <summary>Options naming a JetStream stream and subjects no other test uses.</summary>
    public static NatsJetStreamOptions Isolated(TimeSpan? ackWait = null)
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        return new NatsJetStreamOptions
        {
            StreamName = "T" + tag,
            SubjectPrefix = "t" + tag,
            DeadLetterStreamName = "D" + tag,
            AckWait = ackWait ?? TimeSpan.FromSeconds(30),
        };
    }

    public static async Task AppendAsync(IEventStore store, string streamId, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(streamId, ExpectedVersion.Any, [EventData.Json("Happened", $"{{\"n\":{i}}}")], ct);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true or the deadline passes (then fails with <paramref name="what"/>).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null, Func<object?>? detail = null)
    {
        var stop = Stopwatch.StartNew();
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (stop.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting for {what}. {detail?.Invoke()}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Utf8(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}

/// <summary>
/// A nats-server of the test's own, started by scripts/brokers.sh (the same command CI uses) on its own port and data
/// directory, so killing it leaves the shared server alone; killed by the pid in its pid file, as a crash would.
/// </summary>
internal sealed class OwnNatsServer : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eventuali-nats-" + Guid.NewGuid().ToString("N"));

    public OwnNatsServer()
    {
        Port = Broker.FreePort();
    }

    public int Port { get; }

    /// <summary>The URL the script printed (with the generated password).</summary>
    public string Url { get; private set; } = "";

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, "scripts", "brokers.sh");
                if (File.Exists(script))
                {
                    return script;
                }
            }

            throw new InvalidOperationException("scripts/brokers.sh was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts the server (again, after <see cref="Kill"/>) with brokers.sh; returns once it answers.</summary>
    public async Task StartAsync()
    {
        var output = await RunScriptAsync();
        var export = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("export EVENTUALI_NATS_URL=", StringComparison.Ordinal));
        Url = export["export EVENTUALI_NATS_URL=".Length..];
    }

    /// <summary>SIGKILL of the process named in the pid file; returns once it is gone.</summary>
    public void Kill()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir, "nats.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        if (!process.WaitForExit(30_000))
        {
            throw new InvalidOperationException($"nats-server {pid} did not exit after SIGKILL");
        }
    }

    public void Dispose()
    {
        RunScriptAsync("stop").GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> RunScriptAsync(string? verb = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        if (verb is not null)
        {
            info.ArgumentList.Add(verb);
        }

        info.Environment["EVENTUALI_BROKERS_DATA"] = _dir;
        info.Environment["EVENTUALI_NATS_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"brokers.sh {verb} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
