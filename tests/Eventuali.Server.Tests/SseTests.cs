using System.Net;

namespace Eventuali.Server.Tests;

public sealed class SseTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServerHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Resuming_with_last_event_id_loses_and_repeats_nothing_under_concurrent_appends()
    {
        var writer = await _host.ClientAsync(ApiRole.Write);
        var reader = await _host.ClientAsync(ApiRole.Read);
        const int Writers = 3;
        const int Batches = 40;
        const int PerBatch = 5;
        const int Total = Writers * Batches * PerBatch;

        // Writers run for the whole test while the reader disconnects and resumes several times.
        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var response = await writer.PostAsync($"/streams/sse-{w}", Http.Json(Http.Events(Enumerable.Repeat("tick", PerBatch).ToArray())));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        })));

        var received = new List<SseEvent>();
        string? last = null;
        var rounds = 0;
        while (received.Count < Total)
        {
            var take = Math.Min(97, Total - received.Count);
            received.AddRange(await Sse.ReadAsync(reader, "/subscribe/all", take, TimeSpan.FromMinutes(2), last));
            last = received[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            rounds++;
        }

        await writing;
        Assert.True(rounds > 3);
        Assert.Equal(received.Count, received.Select(e => e.Id).Distinct().Count());
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Id < p.Second.Id), "positions must increase");
        var stored = new List<long>();
        await foreach (var e in _host.Store.ReadAllAsync(filter: EventFilter.ForCategory("sse-")))
        {
            stored.Add(e.Position);
        }

        Assert.Equal(stored, received.Select(e => e.Id));
        for (var w = 0; w < Writers; w++)
        {
            var versions = received.Where(e => e.StreamId == $"sse-{w}").Select(e => e.Version).ToArray();
            Assert.Equal(Enumerable.Range(1, Batches * PerBatch).Select(v => (long)v), versions);
        }
    }

    [Fact]
    public async Task A_stream_subscription_resumes_after_the_position_it_last_delivered()
    {
        var writer = await _host.ClientAsync(ApiRole.Write);
        await writer.PostAsync("/streams/one-1", Http.Json(Http.Events("a", "b", "c")));
        await writer.PostAsync("/streams/other-1", Http.Json(Http.Events("x")));
        var first = await Sse.ReadAsync(writer, "/subscribe/streams/one-1", 2, TimeSpan.FromMinutes(1));
        Assert.Equal(["a", "b"], first.Select(e => e.Type));

        var appending = writer.PostAsync("/streams/one-1", Http.Json(Http.Events("d")));
        var rest = await Sse.ReadAsync(writer, "/subscribe/streams/one-1", 2, TimeSpan.FromMinutes(1), first[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await appending;
        Assert.Equal(["c", "d"], rest.Select(e => e.Type));
        Assert.All(rest, e => Assert.Equal("one-1", e.StreamId));

        var fromVersion = await Sse.ReadAsync(writer, "/subscribe/streams/one-1?from=4", 1, TimeSpan.FromMinutes(1));
        Assert.Equal("d", fromVersion[0].Type);
        await Http.ProblemAsync(await writer.GetAsync("/subscribe/all?from=-1"), 400, "invalid-parameter");
        var badId = new HttpRequestMessage(HttpMethod.Get, "/subscribe/all");
        badId.Headers.Add("Last-Event-ID", "abc");
        await Http.ProblemAsync(await writer.SendAsync(badId), 400, "invalid-parameter");
    }
}
