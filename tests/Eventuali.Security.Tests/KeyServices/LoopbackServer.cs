using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Eventuali.Security.Tests.KeyServices;

/// <summary>What a fake key service saw: the request as it arrived on the wire.</summary>
internal sealed record FakeRequest(string Method, string Path, string Query, NameValueCollection Headers, byte[] Body);

/// <summary>What a fake key service answers.</summary>
internal sealed record FakeResponse(int Status, string Json);

/// <summary>How a fake key service behaves, whatever it is asked.</summary>
internal enum FakeMode
{
    Serve,
    Throttle,
    Fail,
    Hang,
}

/// <summary>An HTTP server on a free loopback port (HttpListener) that hands each request to a handler.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<FakeRequest, FakeResponse> _handler;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private int _requests;

    private LoopbackServer(HttpListener listener, Uri baseAddress, Func<FakeRequest, FakeResponse> handler)
    {
        _listener = listener;
        BaseAddress = baseAddress;
        _handler = handler;
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public FakeMode Mode { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static LoopbackServer Start(Func<FakeRequest, FakeResponse> handler)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackServer(listener, new Uri($"http://127.0.0.1:{port}/"), handler);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                // Another process took the port between probing and binding: try another one.
                listener.Close();
            }
        }
    }

    /// <summary>A loopback port with nothing listening on it: connections are refused.</summary>
    public static Uri Unreachable() => new($"http://127.0.0.1:{FreePort()}/");

    public async ValueTask DisposeAsync()
    {
        _stopped.TrySetResult();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var response = Mode switch
            {
                FakeMode.Throttle => new FakeResponse(429, """{"__type":"ThrottlingException","errors":["rate limited"],"error":{"code":"Throttled"}}"""),
                FakeMode.Fail => new FakeResponse(503, """{"__type":"KMSInternalException","errors":["internal error"],"error":{"code":"ServiceUnavailable"}}"""),
                FakeMode.Hang => await HangAsync(),
                _ => _handler(new FakeRequest(
                    context.Request.HttpMethod,
                    context.Request.Url!.AbsolutePath,
                    context.Request.Url.Query,
                    context.Request.Headers,
                    body.ToArray())),
            };
            var bytes = Encoding.UTF8.GetBytes(response.Json);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (a timeout test) or the server is stopping.
        }
    }

    private async Task<FakeResponse> HangAsync()
    {
        await _stopped.Task;
        return new FakeResponse(503, "{}");
    }
}
