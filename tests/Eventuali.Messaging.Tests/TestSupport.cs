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

/// <summary>A nats-server process of the test's own (JetStream, its own port and directory), to kill and restart.</summary>
internal sealed class OwnNatsServer : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eventuali-nats-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public OwnNatsServer()
    {
        Port = Broker.FreePort();
        Directory.CreateDirectory(_dir);
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static string Binary => File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server"
        : File.Exists("/usr/bin/nats-server") ? "/usr/bin/nats-server"
        : throw new InvalidOperationException("nats-server is not installed: run bash scripts/brokers.sh.");

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Binary, ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", _dir])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(info)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await Broker.WaitUntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"nats-server on port {Port}", TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server process outright (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
