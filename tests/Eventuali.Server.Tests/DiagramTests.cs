using System.Net;
using System.Text.Json;

namespace Eventuali.Server.Tests;

/// <summary>GET /diagram: the event-flow graph over only the streams the caller may read.</summary>
public sealed class DiagramTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServerHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static string[] NodeIds(JsonElement graph)
        => [.. graph.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!)];

    [Fact]
    public async Task A_scoped_caller_sees_only_its_streams_and_nobody_sees_the_key_stream()
    {
        var writer = await _host.ClientAsync(ApiRole.Write);
        var placed = Guid.NewGuid();
        var batch = $$$$"""[{"id":"{{{{placed}}}}","type":"placed","data":{},"metadata":{"headers":{"command":"PlaceOrder"}}},{"type":"paid","data":{},"metadata":{"causationId":"{{{{placed}}}}"}}]""";
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsync("/streams/orders-1", Http.Json(batch))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsync("/streams/secret-1", Http.Json(Http.Events("hidden")))).StatusCode);

        var all = await Http.JsonAsync(await (await _host.ClientAsync(ApiRole.Read)).GetAsync("/diagram"));
        Assert.Equal(["command:PlaceOrder", "event:hidden", "event:paid", "event:placed"], NodeIds(all));
        Assert.Equal(3, all.GetProperty("eventsRead").GetInt64()); // the API key stream is never read into the graph
        var slow = Assert.Single(all.GetProperty("slowestEdges").EnumerateArray());
        Assert.Equal(("event:placed", "event:paid"), (slow.GetProperty("from").GetString(), slow.GetProperty("to").GetString()));

        var scoped = await _host.ClientAsync(ApiRole.Read, "orders-");
        Assert.Equal(["command:PlaceOrder", "event:paid", "event:placed"], NodeIds(await Http.JsonAsync(await scoped.GetAsync("/diagram"))));
        var outside = await Http.JsonAsync(await scoped.GetAsync("/diagram?category=secret-"));
        Assert.Empty(NodeIds(outside));
        Assert.Equal(0, outside.GetProperty("eventsRead").GetInt64());
        await Http.ProblemAsync(await _host.Client().GetAsync("/diagram"), 401, "unauthenticated");
    }
}
