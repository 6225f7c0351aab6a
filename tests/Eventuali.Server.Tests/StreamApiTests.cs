using System.Net;
using System.Text.Json;

namespace Eventuali.Server.Tests;

public sealed class StreamApiTests : IAsyncLifetime
{
    private ServerHost _host = null!;
    private HttpClient _writer = null!;
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync();
        _writer = await _host.ClientAsync(ApiRole.Write);
        _admin = await _host.ClientAsync(ApiRole.Admin);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Append_then_read_forwards_and_backwards_in_pages()
    {
        var append = await _writer.PostAsync("/streams/order-1", Http.Json(Http.Events("a", "b", "c", "d", "e")));
        Assert.Equal(HttpStatusCode.OK, append.StatusCode);
        Assert.Equal("W/\"5\"", append.Headers.ETag?.ToString());
        var result = await Http.JsonAsync(append);
        Assert.Equal(5, result.GetProperty("streamVersion").GetInt64());

        var first = await Http.JsonAsync(await _writer.GetAsync("/streams/order-1?limit=2"));
        Assert.Equal(["a", "b"], Http.Types(first));
        Assert.Equal(3, first.GetProperty("next").GetInt64());
        var second = await Http.JsonAsync(await _writer.GetAsync("/streams/order-1?from=3&limit=10"));
        Assert.Equal(["c", "d", "e"], Http.Types(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var back = await Http.JsonAsync(await _writer.GetAsync("/streams/order-1?direction=backward&limit=2"));
        Assert.Equal(["e", "d"], Http.Types(back));
        Assert.Equal(3, back.GetProperty("next").GetInt64());
        var ev = back.GetProperty("events")[0];
        Assert.Equal(1, ev.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal(5, ev.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Metadata_and_ids_round_trip()
    {
        var id = Guid.NewGuid();
        var body = "[{\"id\":\"" + id + "\",\"type\":\"placed\",\"data\":{\"total\":3},\"metadata\":{\"correlationId\":\"c-1\",\"causationId\":\"k-1\",\"actorId\":\"alice\",\"headers\":{\"h\":\"v\"}}}]";
        Assert.Equal(HttpStatusCode.OK, (await _writer.PostAsync("/streams/meta-1", Http.Json(body))).StatusCode);
        var page = await Http.JsonAsync(await _writer.GetAsync("/streams/meta-1"));
        var e = page.GetProperty("events")[0];
        Assert.Equal(id, e.GetProperty("id").GetGuid());
        var m = e.GetProperty("metadata");
        Assert.Equal("c-1", m.GetProperty("correlationId").GetString());
        Assert.Equal("k-1", m.GetProperty("causationId").GetString());
        Assert.Equal("alice", m.GetProperty("actorId").GetString());
        Assert.Equal("v", m.GetProperty("headers").GetProperty("h").GetString());
    }

    [Fact]
    public async Task If_match_conflict_is_412_and_body_conflict_is_409_and_nothing_is_written()
    {
        await _writer.PostAsync("/streams/acct-1", Http.Json(Http.Events("opened")));
        var ok = await _writer.SendAsync(Http.Request(HttpMethod.Post, "/streams/acct-1", Http.Events("deposited"), ifMatch: "W/\"1\""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var head = await _host.Store.GetHeadPositionAsync();

        var stale = await _writer.SendAsync(Http.Request(HttpMethod.Post, "/streams/acct-1", Http.Events("deposited"), ifMatch: "W/\"1\""));
        await Http.ProblemAsync(stale, 412, "precondition-failed");
        var body = await _writer.PostAsync("/streams/acct-1", Http.Json("""{"expectedVersion":1,"events":[{"type":"x","data":{}}]}"""));
        await Http.ProblemAsync(body, 409, "wrong-expected-version");
        var mustNotExist = await _writer.SendAsync(Http.Request(HttpMethod.Post, "/streams/acct-1", Http.Events("x"), ifMatch: "W/\"0\""));
        await Http.ProblemAsync(mustNotExist, 412, "precondition-failed");

        Assert.Equal(head, await _host.Store.GetHeadPositionAsync());
        Assert.Equal(2, await _host.Store.GetStreamVersionAsync("acct-1"));
    }

    [Fact]
    public async Task Retrying_an_append_with_the_same_event_ids_writes_nothing_twice()
    {
        var body = $$$"""[{"id":"{{{Guid.NewGuid()}}}","type":"a","data":{}},{"id":"{{{Guid.NewGuid()}}}","type":"b","data":{}}]""";
        var first = await Http.JsonAsync(await _writer.PostAsync("/streams/idem-1", Http.Json(body)));
        var again = await _writer.PostAsync("/streams/idem-1", Http.Json(body));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("lastPosition").GetInt64(), (await Http.JsonAsync(again)).GetProperty("lastPosition").GetInt64());
        Assert.Equal(2, await _host.Store.GetStreamVersionAsync("idem-1"));
    }

    [Fact]
    public async Task Global_log_and_category_reads_page_by_position()
    {
        await _writer.PostAsync("/streams/cat-a-1", Http.Json(Http.Events("a1")));
        await _writer.PostAsync("/streams/cat-b-1", Http.Json(Http.Events("b1")));
        await _writer.PostAsync("/streams/cat-a-2", Http.Json(Http.Events("a2")));

        var category = await Http.JsonAsync(await _writer.GetAsync("/categories/cat-a-"));
        Assert.Equal(["a1", "a2"], Http.Types(category));

        // One event a page: the cursor walks the log; the server's own key stream takes positions but is never served.
        var seen = new List<string>();
        long? next = 1;
        var pages = 0;
        while (next is { } from && pages++ < 100)
        {
            var page = await Http.JsonAsync(await _writer.GetAsync($"/all?from={from}&limit=1"));
            Assert.True(page.GetProperty("events").GetArrayLength() <= 1);
            seen.AddRange(Http.Streams(page));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
        }

        Assert.Equal(["cat-a-1", "cat-b-1", "cat-a-2"], seen.Where(s => s.StartsWith("cat-", StringComparison.Ordinal)));
        Assert.DoesNotContain(seen, s => s.StartsWith(ApiKeyStore.ReservedPrefix, StringComparison.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Stream_info_list_and_lifecycle_for_admins()
    {
        await _writer.PostAsync("/streams/life-1", Http.Json(Http.Events("a", "b", "c", "d")));
        var info = await Http.JsonAsync(await _writer.GetAsync("/streams/life-1/info"));
        Assert.Equal("live", info.GetProperty("status").GetString());
        Assert.Equal(4, info.GetProperty("version").GetInt64());

        var list = await Http.JsonAsync(await _writer.GetAsync("/streams?prefix=life-"));
        Assert.Equal(["life-1"], list.GetProperty("streams").EnumerateArray().Select(s => s.GetString()!).ToArray());

        var truncate = await _admin.PostAsync("/streams/life-1/truncate?before=2", null);
        Assert.Equal(1, (await Http.JsonAsync(truncate)).GetProperty("events").GetInt64());
        var archive = await _admin.PostAsync("/streams/life-1/archive?before=3", null);
        Assert.Equal(1, (await Http.JsonAsync(archive)).GetProperty("events").GetInt64());
        Assert.Equal(["c", "d"], Http.Types(await Http.JsonAsync(await _writer.GetAsync("/streams/life-1"))));

        Assert.Equal(HttpStatusCode.OK, (await _admin.DeleteAsync("/streams/life-1")).StatusCode);
        await Http.ProblemAsync(await _writer.GetAsync("/streams/life-1"), 410, "stream-deleted");
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync("/streams/life-1/restore", null)).StatusCode);
        Assert.Equal(["c", "d"], Http.Types(await Http.JsonAsync(await _writer.GetAsync("/streams/life-1"))));

        await Http.ProblemAsync(await _writer.GetAsync("/streams/never-written"), 404, "stream-not-found");
        var stats = await Http.JsonAsync(await _admin.GetAsync("/stats"));
        Assert.True(stats.GetProperty("events").GetInt64() > 0);
    }

    [Fact]
    public async Task A_large_read_streams_every_event()
    {
        var batch = "[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $$$"""{"type":"t","data":{"i":{{{i}}},"pad":"{{{new string('x', 200)}}}"}}""")) + "]";
        Assert.Equal(HttpStatusCode.OK, (await _writer.PostAsync("/streams/big-1", Http.Json(batch))).StatusCode);
        using var response = await _writer.GetAsync("/streams/big-1?limit=10000", HttpCompletionOption.ResponseHeadersRead);
        Assert.Null(response.Content.Headers.ContentLength); // chunked: written as read, not buffered whole
        var page = await Http.JsonAsync(response);
        var events = page.GetProperty("events");
        Assert.Equal(2000, events.GetArrayLength());
        Assert.Equal(1999, events[1999].GetProperty("data").GetProperty("i").GetInt32());
    }

    [Fact]
    public async Task Health_metrics_and_ui_are_served()
    {
        var anonymous = _host.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        var metrics = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var ui = await anonymous.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal("text/html", ui.Content.Headers.ContentType?.MediaType);
        await Http.ProblemAsync(await anonymous.GetAsync("/ui/nope.js"), 404, "not-found");
    }
}
