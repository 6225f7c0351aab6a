using System.Net;
using System.Net.Sockets;

namespace Eventuali.KafkaMock;

/// <summary>A loopback TCP forwarder: each connection accepted is piped both ways to the mock broker's own port.</summary>
internal static class Forward
{
    public static async Task RunAsync(TcpListener listener, int targetPort)
    {
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
            _ = PipeAsync(client, targetPort);
        }
    }

    private static async Task PipeAsync(TcpClient client, int targetPort)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(IPAddress.Loopback, targetPort).ConfigureAwait(false);
                var a = client.GetStream();
                var b = upstream.GetStream();
                // Either side closing ends both: the other copy fails or completes, and the usings close the sockets.
                await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a)).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
        }
    }
}
