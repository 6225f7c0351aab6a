using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Eventuali.KafkaMock;

// Hosts librdkafka's Kafka-protocol mock cluster (in memory, no disk) for the Kafka adapter's tests. The mock listens on
// random loopback ports; each broker is fronted by a forwarder on a fixed port (--port P: brokers on P, P+1, ...) and
// advertised there, so a fixture killed and started again is found at the same address. Prints the bootstrap servers
// as its first line, then stays alive until killed.
var port = 0;
var brokers = 1;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--brokers")
    {
        brokers = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

NativeLibrary.SetDllImportResolver(typeof(NativeMock).Assembly, NativeMock.Resolve);
var err = new byte[512];
var conf = NativeMock.ConfNew();
_ = NativeMock.ConfSet(conf, "log_level", "3", err, (nuint)err.Length); // the handle has no bootstrap servers of its own, as intended
var rk = NativeMock.KafkaNew(0, conf, err, (nuint)err.Length);
if (rk == 0)
{
    Console.Error.WriteLine("kafka-mock: cannot create the librdkafka handle: " + System.Text.Encoding.UTF8.GetString(err).TrimEnd('\0'));
    return 1;
}

var cluster = NativeMock.ClusterNew(rk, brokers);
if (cluster == 0)
{
    Console.Error.WriteLine("kafka-mock: librdkafka refused to create the mock cluster.");
    return 1;
}

var inner = Marshal.PtrToStringUTF8(NativeMock.ClusterBootstraps(cluster))!.Split(',');
var outer = new List<string>();
var forwarders = new List<Task>();
for (var b = 0; b < inner.Length; b++)
{
    if (port == 0)
    {
        outer.Add(inner[b]);
        continue;
    }

    var target = inner[b][(inner[b].LastIndexOf(':') + 1)..];
    var listener = new TcpListener(IPAddress.Loopback, port + b);
    listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
    listener.Start();
    NativeMock.BrokerSetHostPort(cluster, b + 1, "127.0.0.1", port + b);
    outer.Add($"127.0.0.1:{port + b}");
    forwarders.Add(Forward.RunAsync(listener, int.Parse(target, CultureInfo.InvariantCulture)));
}

Console.WriteLine(string.Join(',', outer));
Console.Out.Flush();
await Task.WhenAll(forwarders.Append(Task.Delay(Timeout.Infinite))).ConfigureAwait(false);
return 0;
