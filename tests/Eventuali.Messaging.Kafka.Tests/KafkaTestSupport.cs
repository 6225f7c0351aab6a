using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Eventuali.Sqlite;

namespace Eventuali.Messaging.Kafka.Tests;

/// <summary>A SQLite store in a directory of its own, deleted afterwards.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eventuali-kafka-" + Guid.NewGuid().ToString("N"));

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

internal static class Kafka
{
    /// <summary>The mock cluster scripts/kafka-mock.sh started; the test fails clearly when it is missing.</summary>
    public static string Bootstrap => Environment.GetEnvironmentVariable("EVENTUALI_KAFKA_BOOTSTRAP") is { Length: > 0 } url ? url
        : throw new InvalidOperationException("EVENTUALI_KAFKA_BOOTSTRAP is not set: start the mock cluster with eval \"$(bash scripts/kafka-mock.sh)\".");

    /// <summary>Options with a topic prefix no other test uses (the shared mock cluster lives for the whole run).</summary>
    public static KafkaOptions Isolated(string? bootstrap = null) => new()
    {
        BootstrapServers = bootstrap ?? Bootstrap,
        TopicPrefix = "t" + Guid.NewGuid().ToString("N")[..10] + ".",
        PublishTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// A consumer (group) name of this test's own: tests run at once on one broker, and consumers sharing a group id
    /// rebalance each other even on different topics, which stalled a test's consumer under load.
    /// </summary>
    public static string Group(KafkaOptions options, string name)
        => name + "-" + new string([.. options.TopicPrefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

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

    /// <summary>Every record of <paramref name="topic"/> now (read until the end of each partition), for assertions.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadTopic(KafkaOptions options, string topic, bool readCommitted = false, int atLeast = 0, TimeSpan? deadline = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AllowAutoCreateTopics = true,
            IsolationLevel = readCommitted ? Confluent.Kafka.IsolationLevel.ReadCommitted : Confluent.Kafka.IsolationLevel.ReadUncommitted,
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<string, byte[]>>();
        var eof = new HashSet<int>();
        var stop = Stopwatch.StartNew();
        var limit = deadline ?? TimeSpan.FromSeconds(30);
        while (stop.Elapsed < limit)
        {
            ConsumeResult<string, byte[]>? r;
            try
            {
                r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException)
            {
                continue; // the topic not created yet
            }

            if (r is null)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                eof.Add(r.Partition.Value);
                if (records.Count >= atLeast && eof.Count == consumer.Assignment.Count && consumer.Assignment.Count > 0)
                {
                    break;
                }

                continue;
            }

            eof.Remove(r.Partition.Value);
            records.Add(r);
        }

        consumer.Close();
        return records;
    }

    public static string Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : throw new InvalidOperationException($"record without header {name}");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A mock-cluster process of the test's own, on a fixed port, to kill and start again.</summary>
internal sealed class OwnKafkaMock : IDisposable
{
    private Process? _process;

    public OwnKafkaMock()
    {
        Port = Kafka.FreePort();
    }

    public int Port { get; }

    public string Bootstrap => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Eventuali.KafkaMock.dll"), "--port", Port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(info)!;
        _process.BeginErrorReadLine();
        var first = await _process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(Bootstrap, first);
    }

    /// <summary>Kills the process outright (SIGKILL): the mock keeps everything in memory, so the cluster's data goes with it.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();
}
