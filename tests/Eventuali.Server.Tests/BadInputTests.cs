using System.Net;
using System.Text;
using System.Text.Json;

namespace Eventuali.Server.Tests;

public sealed class BadInputTests : IAsyncLifetime
{
    private ServerHost _host = null!;
    private HttpClient _writer = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o => o.MaxRequestBodyBytes = 64 * 1024);
        _writer = await _host.ClientAsync(ApiRole.Admin);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task NothingWrittenAsync(Func<Task> rejected)
    {
        var head = await _host.Store.GetHeadPositionAsync();
        await rejected();
        // The only events appended meanwhile may be the key stream's own (its last-use marks).
        var after = new List<RecordedEvent>();
        await foreach (var e in _host.Store.ReadAllAsync(head + 1))
        {
            after.Add(e);
        }

        Assert.All(after, e => Assert.Equal(ApiKeyStore.StreamId, e.StreamId));
    }

    [Theory]
    [InlineData("[{\"type\":\"a\",\"data\":", "invalid-json")]
    [InlineData("not json", "invalid-json")]
    [InlineData("{\"events\":3}", "invalid-json")]
    [InlineData("{\"expectedVersion\":-2,\"events\":[]}", "invalid-json")]
    [InlineData("[]", "invalid-event")]
    [InlineData("[{\"data\":{}}]", "invalid-event")]
    [InlineData("[{\"type\":\"a\"}]", "invalid-event")]
    [InlineData("[{\"type\":\"a\",\"data\":{}},{\"type\":\"\",\"data\":{}}]", "invalid-event")]
    [InlineData("[{\"type\":\"a\",\"data\":{},\"id\":\"nope\"}]", "invalid-event")]
    [InlineData("[{\"type\":\"a\",\"data\":{},\"metadata\":{\"headers\":{\"h\":1}}}]", "invalid-event")]
    [InlineData("[1]", "invalid-event")]
    public async Task Malformed_bodies_are_400_and_write_nothing(string body, string slug)
        => await NothingWrittenAsync(async () => await Http.ProblemAsync(await _writer.PostAsync("/streams/bad-1", Http.Json(body)), 400, slug));

    [Fact]
    public async Task Wrong_content_type_is_415()
        => await NothingWrittenAsync(async () =>
        {
            await Http.ProblemAsync(await _writer.PostAsync("/streams/bad-2", new StringContent(Http.Events("a"), Encoding.UTF8, "text/plain")), 415, "unsupported-media-type");
            await Http.ProblemAsync(await _writer.PostAsync("/streams/bad-2", new ByteArrayContent(Encoding.UTF8.GetBytes(Http.Events("a")))), 415, "unsupported-media-type");
        });

    [Fact]
    public async Task Oversized_bodies_are_413_with_or_without_a_content_length()
        => await NothingWrittenAsync(async () =>
        {
            var big = "[" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $$$"""{"type":"a","data":{"pad":"{{{new string('x', 100)}}}"}}""")) + "]";
            await Http.ProblemAsync(await _writer.PostAsync("/streams/bad-3", Http.Json(big)), 413, "payload-too-large");
            var chunked = new PushStreamContent(big);
            chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            await Http.ProblemAsync(await _writer.PostAsync("/streams/bad-3", chunked), 413, "payload-too-large");
        });

    [Fact]
    public async Task Invalid_stream_ids_and_bad_parameters_are_400()
    {
        await NothingWrittenAsync(async () =>
        {
            await Http.ProblemAsync(await _writer.PostAsync("/streams/" + Uri.EscapeDataString("bad\u0001id"), Http.Json(Http.Events("a"))), 400, "invalid-stream-id");
            await Http.ProblemAsync(await _writer.PostAsync("/streams/" + new string('s', 1001), Http.Json(Http.Events("a"))), 400, "invalid-stream-id");
            await Http.ProblemAsync(await _writer.SendAsync(Http.Request(HttpMethod.Post, "/streams/bad-4", Http.Events("a"), ifMatch: "\"seven\"")), 400, "invalid-parameter");
            await Http.ProblemAsync(await _writer.SendAsync(Http.Request(HttpMethod.Post, "/streams/bad-4", "{\"expectedVersion\":0,\"events\":[{\"type\":\"a\",\"data\":1}]}", ifMatch: "W/\"0\"")), 400, "invalid-parameter");
        });
        await _writer.PostAsync("/streams/ok-1", Http.Json(Http.Events("a")));
        foreach (var query in new[] { "limit=-1", "limit=0", "limit=1000000000000", "limit=10001", "limit=abc", "from=-5", "from=x", "direction=sideways" })
        {
            await Http.ProblemAsync(await _writer.GetAsync("/streams/ok-1?" + query), 400, "invalid-parameter");
        }

        await Http.ProblemAsync(await _writer.GetAsync("/all?limit=-1"), 400, "invalid-parameter");
        await Http.ProblemAsync(await _writer.GetAsync("/all?from=0"), 400, "invalid-parameter");
        await Http.ProblemAsync(await _writer.PostAsync("/streams/ok-1/truncate", null), 400, "invalid-parameter");
        await Http.ProblemAsync(await _writer.DeleteAsync("/streams/ok-1?mode=maybe"), 400, "invalid-parameter");
    }

    [Fact]
    public async Task Unknown_routes_are_a_problem_404()
    {
        await Http.ProblemAsync(await _writer.GetAsync("/nothing/here"), 404, "not-found");
        await Http.ProblemAsync(await _host.Client().GetAsync("/streams-but-not"), 404, "not-found");
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_read_leaves_the_server_serving()
    {
        var batch = "[" + string.Join(",", Enumerable.Range(0, 500).Select(i => $$$"""{"type":"t","data":{"pad":"{{{new string('y', 100)}}}"}}""")) + "]";
        await _writer.PostAsync("/streams/cut-1", Http.Json(batch));
        using (var response = await _writer.GetAsync("/streams/cut-1?limit=500", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[100];
            _ = await body.ReadAsync(buffer);
        }

        var page = await Http.JsonAsync(await _writer.GetAsync("/streams/cut-1?limit=500"));
        Assert.Equal(500, page.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_fixed_routes()
    {
        var response = await _host.Client().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Http.JsonAsync(response);
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/streams/{id}", "/all", "/subscribe/all", "/subscribe/streams/{id}", "/categories/{category}", "/streams/{id}/info", "/projections" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }

        var append = paths.GetProperty("/streams/{id}").GetProperty("post");
        Assert.True(append.GetProperty("responses").TryGetProperty("412", out _));
        Assert.True(append.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var read = paths.GetProperty("/streams/{id}").GetProperty("get");
        var parameters = read.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("from", parameters);
        Assert.Contains("limit", parameters);
        Assert.Equal(JsonValueKind.Object, doc.GetProperty("components").GetProperty("schemas").ValueKind);
    }

    /// <summary>A body sent chunked, with no Content-Length, so only the server's running count can stop it.</summary>
    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (var i = 0; i < bytes.Length; i += 4096)
            {
                await stream.WriteAsync(bytes.AsMemory(i, Math.Min(4096, bytes.Length - i)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

    }

}
