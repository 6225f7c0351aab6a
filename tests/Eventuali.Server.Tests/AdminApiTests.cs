using System.Net;
using System.Text.Json;
using Eventuali.Hosting;
using Eventuali.Projections;
using Eventuali.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace Eventuali.Server.Tests;

/// <summary>Dead letters, snapshots, keys and the audit log over HTTP: what each role may do, and bad input.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private readonly Poison _poison = new();
    private ServerHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServerHost.StartAsync(services: s => s.AddEventualiProjections(_ => [_poison]));

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Dead_letters_are_listed_and_retried_by_admins_only()
    {
        var read = await _host.ClientAsync(ApiRole.Read);
        var write = await _host.ClientAsync(ApiRole.Write);
        var admin = await _host.ClientAsync(ApiRole.Admin);
        Assert.Equal(HttpStatusCode.OK, (await write.PostAsync("/streams/job-1", Http.Json(Http.Events("ok", "poison", "ok")))).StatusCode);
        var letters = await Until(admin, "/projections/poison/dead-letters", l => l.GetArrayLength() == 1);
        var letter = letters[0];
        Assert.Equal("poison", letter.GetProperty("eventType").GetString());
        Assert.Equal("job-1", letter.GetProperty("streamId").GetString());
        Assert.Contains("poisoned", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        var id = letter.GetProperty("id").GetInt64();

        await Http.ProblemAsync(await read.GetAsync("/projections/poison/dead-letters"), 403, "forbidden");
        await Http.ProblemAsync(await write.PostAsync($"/projections/poison/dead-letters/{id}/retry", null), 403, "forbidden");
        await Http.ProblemAsync(await write.PostAsync("/projections/poison/dead-letters/retry", null), 403, "forbidden");
        await Http.ProblemAsync(await _host.Client().GetAsync("/projections/poison/dead-letters"), 401, "unauthenticated");
        await Http.ProblemAsync(await admin.GetAsync("/projections/nothing-here/dead-letters"), 404, "not-found");
        await Http.ProblemAsync(await admin.GetAsync("/projections/bad%20name!/dead-letters"), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.PostAsync("/projections/poison/dead-letters/abc/retry", null), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.PostAsync("/projections/poison/dead-letters/-1/retry", null), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.PostAsync($"/projections/poison/dead-letters/{id + 1000}/retry", null), 404, "not-found");
        Assert.Single((await Http.JsonAsync(await admin.GetAsync("/projections/poison/dead-letters"))).EnumerateArray());

        _poison.Healed = true;
        var retry = await admin.PostAsync($"/projections/poison/dead-letters/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(1, (await Http.JsonAsync(retry)).GetProperty("marked").GetInt32());
        await Until(admin, "/projections/poison/dead-letters", l => l.GetArrayLength() == 0);
        var all = await admin.PostAsync("/projections/poison/dead-letters/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, all.StatusCode);
        Assert.Equal(0, (await Http.JsonAsync(all)).GetProperty("marked").GetInt32());
    }

    [Fact]
    public async Task Snapshots_are_read_within_scope_and_deleted_by_admins()
    {
        var write = await _host.ClientAsync(ApiRole.Write);
        var admin = await _host.ClientAsync(ApiRole.Admin);
        var reader = await _host.ClientAsync(ApiRole.Read, "acct-");
        var outsider = await _host.ClientAsync(ApiRole.Read, "other-");
        var result = await Http.JsonAsync(await write.PostAsync("/streams/acct-1", Http.Json(Http.Events("a", "b"))));
        var snapshots = _host.Store.GetFeature<ISnapshotStore>()!;
        foreach (var version in new long[] { 1, 2 })
        {
            var position = result.GetProperty("lastPosition").GetInt64() - 2 + version;
            await snapshots.WriteSnapshotAsync(new StoredSnapshot("acct-1", version, position, "acct", 1, SnapshotCodec.None, 0, new byte[] { 1, 2, 3 }, DateTimeOffset.UtcNow));
        }

        var latest = await Http.JsonAsync(await reader.GetAsync("/streams/acct-1/snapshots/latest"));
        Assert.Equal(2, latest.GetProperty("version").GetInt64());
        Assert.Equal("none", latest.GetProperty("codec").GetString());
        Assert.Equal(3, latest.GetProperty("storedBytes").GetInt32());
        Assert.False(latest.TryGetProperty("data", out _));
        var list = await Http.JsonAsync(await reader.GetAsync("/streams/acct-1/snapshots"));
        Assert.Equal([2L, 1L], list.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("version").GetInt64()).ToArray());

        await Http.ProblemAsync(await outsider.GetAsync("/streams/acct-1/snapshots/latest"), 403, "forbidden");
        await Http.ProblemAsync(await reader.DeleteAsync("/streams/acct-1/snapshots"), 403, "forbidden");
        await Http.ProblemAsync(await write.DeleteAsync("/streams/acct-1/snapshots"), 403, "forbidden");
        await Http.ProblemAsync(await admin.DeleteAsync("/streams/acct-1/snapshots?keep=abc"), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.DeleteAsync("/streams/acct-1/snapshots?keep=-1"), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.GetAsync("/streams/" + new string('x', 1001) + "/snapshots"), 400, "invalid-stream-id");
        Assert.Equal(2, (await snapshots.ListSnapshotsAsync("acct-1").ToListAsync()).Count);

        var kept = await Http.JsonAsync(await admin.DeleteAsync("/streams/acct-1/snapshots?keep=1"));
        Assert.Equal(1, kept.GetProperty("deleted").GetInt32());
        var all = await Http.JsonAsync(await admin.DeleteAsync("/streams/acct-1/snapshots"));
        Assert.Equal(1, all.GetProperty("deleted").GetInt32());
        await Http.ProblemAsync(await reader.GetAsync("/streams/acct-1/snapshots/latest"), 404, "not-found");
        Assert.Equal(2, await _host.Store.GetStreamVersionAsync("acct-1"));
    }

    [Fact]
    public async Task Admins_list_create_and_revoke_keys_and_never_see_a_secret()
    {
        var read = await _host.ClientAsync(ApiRole.Read);
        var admin = await _host.ClientAsync(ApiRole.Admin);
        await Http.ProblemAsync(await read.GetAsync("/keys"), 403, "forbidden");
        await Http.ProblemAsync(await read.PostAsync("/keys", Http.Json("""{"role":"admin"}""")), 403, "forbidden");
        var before = (await _host.Keys.ListAsync()).Count;

        var created = await admin.PostAsync("/keys", Http.Json("""{"role":"read","scope":"orders-","expiresAt":"2099-01-01T00:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Http.JsonAsync(created);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("info").GetProperty("id").GetString()!;
        Assert.StartsWith("evk_" + id + "_", key, StringComparison.Ordinal);
        Assert.Equal("orders-", body.GetProperty("info").GetProperty("scope").GetString());
        var me = await Http.JsonAsync(await _host.Client(key).GetAsync("/me"));
        Assert.Equal("read", me.GetProperty("role").GetString());

        var listed = await admin.GetAsync("/keys");
        var text = await listed.Content.ReadAsStringAsync();
        Assert.DoesNotContain(key[(5 + id.Length)..], text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("salt", text, StringComparison.OrdinalIgnoreCase);
        var keys = JsonDocument.Parse(text).RootElement;
        Assert.Equal(before + 1, keys.GetArrayLength());
        Assert.Contains(keys.EnumerateArray(), k => k.GetProperty("id").GetString() == id && k.GetProperty("active").GetBoolean());

        await Http.ProblemAsync(await read.DeleteAsync($"/keys/{id}"), 403, "forbidden");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/keys/{id}")).StatusCode);
        await Http.ProblemAsync(await _host.Client(key).GetAsync("/me"), 401, "unauthenticated");
        await Http.ProblemAsync(await admin.DeleteAsync($"/keys/{id}"), 404, "not-found");
        await Http.ProblemAsync(await admin.DeleteAsync("/keys/0123456789abcdef"), 404, "not-found");
        await Http.ProblemAsync(await admin.DeleteAsync("/keys/not-a-key"), 400, "invalid-parameter");
        var revoked = (await Http.JsonAsync(await admin.GetAsync("/keys"))).EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.False(revoked.GetProperty("active").GetBoolean());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task Bad_key_requests_write_nothing()
    {
        var admin = await _host.ClientAsync(ApiRole.Admin);
        var scoped = await _host.ClientAsync(ApiRole.Admin, "team-a-");
        var before = (await _host.Keys.ListAsync()).Count;
        await Http.ProblemAsync(await admin.PostAsync("/keys", Http.Json("""{"role":"root"}""")), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.PostAsync("/keys", Http.Json("""{"scope":"x"}""")), 400, "invalid-json");
        await Http.ProblemAsync(await admin.PostAsync("/keys", Http.Json("""{"role":"read""")), 400, "invalid-json");
        await Http.ProblemAsync(await admin.PostAsync("/keys", Http.Json("""{"role":"read","expiresAt":"2001-01-01T00:00:00Z"}""")), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.PostAsync("/keys", Http.Json("""{"role":"read","tenant":""}""")), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.PostAsync("/keys", new StringContent("""{"role":"read"}""")), 415, "unsupported-media-type");
        await Http.ProblemAsync(await admin.PostAsync("/keys", Http.Json("""{"role":"read","scope":" """ + new string('x', 20_000) + "\"}")), 413, "payload-too-large");
        await Http.ProblemAsync(await scoped.PostAsync("/keys", Http.Json("""{"role":"admin","scope":""}""")), 403, "forbidden");
        Assert.Equal(before, (await _host.Keys.ListAsync()).Count);
        var audit = await Http.JsonAsync(await admin.GetAsync("/audit?outcome=failed"));
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("operation").GetString() == "http-create-key" && e.GetProperty("errorType").GetString() == "Forbidden");

        // A scoped admin sees only the keys inside its scope, and its own keys default to that scope.
        var own = await Http.JsonAsync(await scoped.PostAsync("/keys", Http.Json("""{"role":"read"}""")));
        Assert.Equal("team-a-", own.GetProperty("info").GetProperty("scope").GetString());
        var visible = (await Http.JsonAsync(await scoped.GetAsync("/keys"))).EnumerateArray().Select(k => k.GetProperty("scope").GetString()).ToArray();
        Assert.All(visible, s => Assert.StartsWith("team-a-", s, StringComparison.Ordinal));
        var unscoped = (await _host.Keys.ListAsync()).First(k => k.Scope.Length == 0);
        await Http.ProblemAsync(await scoped.DeleteAsync($"/keys/{unscoped.Id}"), 404, "not-found");
        Assert.Null((await _host.Keys.ListAsync()).First(k => k.Id == unscoped.Id).RevokedAt);
    }

    [Fact]
    public async Task The_audit_log_shows_denials_filtered_and_paged_to_admins_only()
    {
        var readKey = await _host.Keys.CreateAsync(ApiRole.Read);
        var read = _host.Client(readKey.Key);
        var admin = await _host.ClientAsync(ApiRole.Admin);
        await Http.ProblemAsync(await read.GetAsync("/keys"), 403, "forbidden");
        await Http.ProblemAsync(await read.GetAsync("/audit"), 403, "forbidden");
        await Http.ProblemAsync(await _host.Client("evk_0000000000000000_wrongwrongwrongwrong").GetAsync("/stats"), 401, "unauthenticated");

        var page = await Http.JsonAsync(await admin.GetAsync($"/audit?actor=apikey:{readKey.Info.Id}&outcome=failed"));
        var entries = page.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal("http-list-keys", entries[0].GetProperty("operation").GetString());
        Assert.Equal("http-read-audit", entries[1].GetProperty("operation").GetString());
        Assert.All(entries, e => Assert.Equal("failed", e.GetProperty("outcome").GetString()));
        Assert.All(entries, e => Assert.Equal("Forbidden", e.GetProperty("errorType").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);

        var first = await Http.JsonAsync(await admin.GetAsync("/audit?limit=1"));
        Assert.Single(first.GetProperty("entries").EnumerateArray());
        var next = first.GetProperty("next").GetInt64();
        var second = await Http.JsonAsync(await admin.GetAsync($"/audit?from={next}&limit=1"));
        Assert.True(second.GetProperty("entries")[0].GetProperty("position").GetInt64() >= next);
        var unauthenticated = await Http.JsonAsync(await admin.GetAsync("/audit?actor=unauthenticated"));
        Assert.NotEmpty(unauthenticated.GetProperty("entries").EnumerateArray());

        await Http.ProblemAsync(await admin.GetAsync("/audit?outcome=maybe"), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.GetAsync("/audit?limit=0"), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.GetAsync("/audit?limit=99999999"), 400, "invalid-parameter");
        await Http.ProblemAsync(await admin.GetAsync("/audit?from=-3"), 400, "invalid-parameter");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_routes()
    {
        var doc = await Http.JsonAsync(await _host.Client().GetAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths");
        foreach (var path in new[]
        {
            "/projections/{name}/dead-letters", "/projections/{name}/dead-letters/retry", "/projections/{name}/dead-letters/{id}/retry",
            "/streams/{id}/snapshots", "/streams/{id}/snapshots/latest", "/tenants", "/tenants/{tenant}/usage", "/keys", "/keys/{id}", "/audit",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }

        Assert.True(paths.GetProperty("/keys").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.GetProperty("/keys/{id}").GetProperty("delete").GetProperty("responses").TryGetProperty("403", out _));
    }

    /// <summary>Polls an admin read until <paramref name="done"/> holds, with a generous deadline for a loaded machine.</summary>
    private static async Task<JsonElement> Until(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (true)
        {
            var value = await Http.JsonAsync(await client.GetAsync(path));
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{path} never reached the expected state: {value}");
            await Task.Delay(100);
        }
    }

    /// <summary>Fails on every <c>poison</c> event until healed, so it is parked as a dead letter and a retry then succeeds.</summary>
    internal sealed class Poison : Projection
    {
        public Poison()
            : base("poison")
        {
            FailurePolicy = new ProjectionFailurePolicy { MaxAttempts = 1 };
            On("ok", async (e, ctx, ct) => await ctx.Documents.PutAsync(e.EventId.ToString(), "{}", ct));
            On("poison", async (e, ctx, ct) =>
            {
                if (!Healed)
                {
                    throw new InvalidOperationException("poisoned event");
                }

                await ctx.Documents.PutAsync(e.EventId.ToString(), "{}", ct);
            });
        }

        private int _healed;

        public bool Healed
        {
            get => Volatile.Read(ref _healed) == 1;
            set => Volatile.Write(ref _healed, value ? 1 : 0);
        }
    }
}
