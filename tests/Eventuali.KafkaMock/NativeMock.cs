using System.Runtime.InteropServices;

namespace Eventuali.KafkaMock;

/// <summary>
/// librdkafka's mock cluster API (rdkafka_mock.h), which Confluent.Kafka does not wrap. The native library is the one
/// Confluent.Kafka's librdkafka.redist package ships, found through the app's deps.json.
/// </summary>
internal static partial class NativeMock
{
    private const string Library = "librdkafka";

    /// <summary>
    /// Finds librdkafka in the package's native folder: the default build needs libsasl2.so.3 (not on Debian, which has
    /// .so.2), so the self-contained centos8 build is the fallback, as Confluent.Kafka itself falls back.
    /// </summary>
    internal static nint Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return 0;
        }

        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native");
        foreach (var candidate in new[] { "librdkafka.so", "centos8-librdkafka.so" })
        {
            if (NativeLibrary.TryLoad(Path.Combine(native, candidate), out var handle))
            {
                return handle;
            }
        }

        return 0;
    }

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    internal static partial nint ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(nint conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    internal static partial nint KafkaNew(int type, nint conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial nint ClusterNew(nint rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial nint ClusterBootstraps(nint cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BrokerSetHostPort(nint cluster, int brokerId, string host, int port);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(nint cluster, string topic, int partitions, int replicationFactor);
}
