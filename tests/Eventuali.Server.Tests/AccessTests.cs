using System.Net;
using Eventuali.Auditing;

namespace Eventuali.Server.Tests;

public sealed class AccessTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServerHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        var entries = new List<AuditEntry>();
        await foreach (var e in _host.Store.GetFeature<IAuditLogStore>()!.ReadAuditAsync())
        {
            entries.Add(e);
        }

        return entries;
    }

    [Fact]
    public async Task Anonymous_access_is_off_by_default_and_audited()
    {
        var anonymous = _host.Client();
        var response = await anonymous.GetAsync("/all");
        await Http.ProblemAsync(response, 401, "unauthenticated");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await Http.ProblemAsync(await anonymous.PostAsync("/streams/x-1", Http.Json(Http.Events("a"))), 401, "unauthenticated");
        await Http.ProblemAsync(await anonymous.GetAsync("/subscribe/all"), 401, "unauthenticated");
        Assert.Null(await _host.Store.GetStreamVersionAsync("x-1"));
        Assert.Contains(await AuditAsync(), e => e.Record is { Actor: "unauthenticated", Outcome: AuditOutcome.Failed, ErrorType: "Unauthenticated" });
    }

    [Fact]
    public async Task Each_role_can_do_what_it_grants_and_no_more()
    {
        var read = await _host.ClientAsync(ApiRole.Read);
        var write = await _host.ClientAsync(ApiRole.Write);
        var admin = await _host.ClientAsync(ApiRole.Admin);

        await Http.ProblemAsync(await read.PostAsync("/streams/r-1", Http.Json(Http.Events("a"))), 403, "forbidden");
        Assert.Null(await _host.Store.GetStreamVersionAsync("r-1"));
        Assert.Equal(HttpStatusCode.OK, (await write.PostAsync("/streams/r-1", Http.Json(Http.Events("a")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/streams/r-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/all")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/me")).StatusCode);

        await Http.ProblemAsync(await write.DeleteAsync("/streams/r-1"), 403, "forbidden");
        await Http.ProblemAsync(await write.PostAsync("/streams/r-1/truncate?before=2", null), 403, "forbidden");
        await Http.ProblemAsync(await write.PostAsync("/streams/r-1/archive", null), 403, "forbidden");
        await Http.ProblemAsync(await read.GetAsync("/stats"), 403, "forbidden");
        await Http.ProblemAsync(await write.PostAsync("/projections/p/rebuild", null), 403, "forbidden");
        Assert.Equal(1, await _host.Store.GetStreamVersionAsync("r-1"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/streams/r-1/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/stats")).StatusCode);

        var denials = (await AuditAsync()).Where(e => e.Record.ErrorType == "Forbidden").ToList();
        Assert.Contains(denials, e => e.Record is { Operation: "http-append", StreamId: "r-1", Action: AuditAction.Append });
        Assert.Contains(denials, e => e.Record is { Operation: "http-delete-stream", Action: AuditAction.Admin });
        Assert.True(denials.Count >= 6);
    }

    [Fact]
    public async Task A_scoped_key_sees_only_its_prefix_in_streams_the_log_categories_and_subscriptions()
    {
        var writer = await _host.ClientAsync(ApiRole.Admin);
        await writer.PostAsync("/streams/orders-1", Http.Json(Http.Events("o1")));
        await writer.PostAsync("/streams/secret-1", Http.Json(Http.Events("s1")));
        await writer.PostAsync("/streams/orders-2", Http.Json(Http.Events("o2")));

        var scoped = await _host.ClientAsync(ApiRole.Write, "orders-");
        Assert.Equal(["o1", "o2"], Http.Types(await Http.JsonAsync(await scoped.GetAsync("/all"))));
        Assert.Empty(Http.Types(await Http.JsonAsync(await scoped.GetAsync("/categories/secret-"))));
        Assert.Empty(Http.Types(await Http.JsonAsync(await scoped.GetAsync("/categories/s"))));
        Assert.Equal(["o1", "o2"], Http.Types(await Http.JsonAsync(await scoped.GetAsync("/categories/o"))));
        await Http.ProblemAsync(await scoped.GetAsync("/streams/secret-1"), 403, "forbidden");
        await Http.ProblemAsync(await scoped.PostAsync("/streams/secret-1", Http.Json(Http.Events("x"))), 403, "forbidden");
        await Http.ProblemAsync(await scoped.GetAsync("/subscribe/streams/secret-1"), 403, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await scoped.PostAsync("/streams/orders-3", Http.Json(Http.Events("o3")))).StatusCode);
        var list = await Http.JsonAsync(await scoped.GetAsync("/streams"));
        Assert.DoesNotContain("secret-1", list.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));

        // The subscription to the whole log delivers only the scope's events, live ones included.
        var seen = await Sse.ReadAsync(scoped, "/subscribe/all", count: 3, TimeSpan.FromMinutes(1));
        Assert.All(seen, e => Assert.StartsWith("orders-", e.StreamId, StringComparison.Ordinal));
        Assert.Contains((await AuditAsync()).Select(e => e.Record), r => r is { ErrorType: "Forbidden", StreamId: "secret-1" });
    }

    [Fact]
    public async Task Nobody_reaches_the_key_stream_over_http()
    {
        var admin = await _host.ClientAsync(ApiRole.Admin);
        await Http.ProblemAsync(await admin.GetAsync("/streams/" + Uri.EscapeDataString(ApiKeyStore.StreamId)), 403, "forbidden");
        await Http.ProblemAsync(await admin.PostAsync("/streams/" + Uri.EscapeDataString(ApiKeyStore.StreamId), Http.Json(Http.Events("apikey-created"))), 403, "forbidden");
        var all = await Http.JsonAsync(await admin.GetAsync("/all?limit=10000"));
        Assert.DoesNotContain(Http.Streams(all), s => s.StartsWith(ApiKeyStore.ReservedPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoked_expired_and_forged_keys_are_refused()
    {
        var created = await _host.Keys.CreateAsync(ApiRole.Admin);
        var client = _host.Client(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/me")).StatusCode);
        Assert.True(await _host.Keys.RevokeAsync(created.Info.Id));
        await Http.ProblemAsync(await client.GetAsync("/me"), 401, "unauthenticated");
        Assert.False(await _host.Keys.RevokeAsync(created.Info.Id));

        var forged = created.Key[..^4] + "AAAA";
        await Http.ProblemAsync(await _host.Client(forged).GetAsync("/me"), 401, "unauthenticated");
        await Http.ProblemAsync(await _host.Client("not-a-key").GetAsync("/me"), 401, "unauthenticated");

        var listed = await _host.Keys.ListAsync();
        var info = Assert.Single(listed, k => k.Id == created.Info.Id);
        Assert.NotNull(info.RevokedAt);
        Assert.NotNull(info.LastUsedAt);
        // The key stream holds a salted hash, never the secret (all of it: a base64url secret can itself hold '_').
        await foreach (var e in _host.Store.ReadStreamAsync(ApiKeyStore.StreamId))
        {
            Assert.DoesNotContain(created.Key.Split('_', 3)[2], System.Text.Encoding.UTF8.GetString(e.Data.Span), StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _host.Keys.CreateAsync(ApiRole.Read, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    [Fact]
    public async Task Bearer_tokens_are_refused_when_no_issuer_is_configured()
    {
        var client = _host.Client();
        client.DefaultRequestHeaders.Authorization = Http.Bearer("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        await Http.ProblemAsync(await client.GetAsync("/all"), 401, "unauthenticated");
    }
}

public sealed class AnonymousAndRateLimitTests
{
    [Fact]
    public async Task Anonymous_readers_when_enabled_stay_inside_their_scope_in_category_reads()
    {
        await using var host = await ServerHost.StartAsync(o =>
        {
            o.AnonymousRole = ApiRole.Read;
            o.AnonymousScope = "public-";
        });
        var admin = await host.ClientAsync(ApiRole.Admin);
        await admin.PostAsync("/streams/public-1", Http.Json(Http.Events("p")));
        await admin.PostAsync("/streams/private-1", Http.Json(Http.Events("q")));
        var anonymous = host.Client();
        Assert.Empty(Http.Types(await Http.JsonAsync(await anonymous.GetAsync("/categories/private-"))));
        Assert.DoesNotContain("q", Http.Types(await Http.JsonAsync(await anonymous.GetAsync("/categories/p?limit=10"))));
        Assert.Equal(["p"], Http.Types(await Http.JsonAsync(await anonymous.GetAsync("/all"))));
        await Http.ProblemAsync(await anonymous.GetAsync("/streams/private-1"), 403, "forbidden");
        await Http.ProblemAsync(await anonymous.PostAsync("/streams/public-2", Http.Json(Http.Events("x"))), 403, "forbidden");
    }

    [Fact]
    public async Task Each_key_has_its_own_rate_limit()
    {
        await using var host = await ServerHost.StartAsync(o =>
        {
            o.RequestsPerSecond = 1;
            o.RequestBurst = 3;
        });
        var first = await host.ClientAsync(ApiRole.Read);
        var second = await host.ClientAsync(ApiRole.Read);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await first.GetAsync("/me")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var limited = await first.GetAsync("/me");
        if (limited.StatusCode == HttpStatusCode.TooManyRequests)
        {
            await Http.ProblemAsync(limited, 429, "rate-limited");
            Assert.NotNull(limited.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/me")).StatusCode);
    }
}
