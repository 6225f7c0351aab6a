using System.Text;
using System.Text.Json.Nodes;
using Eventuali.InMemory;
using Eventuali.Security.Encryption;
using Eventuali.Security.Keys;

namespace Eventuali.Security.Tests.Encryption;

public sealed class FieldEncryptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eventuali-enc-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_erasure_made_by_another_process_reaches_this_one_when_its_cached_key_expires()
    {
        var keys = LocalKeyFile.Create(Path.Combine(_dir, "keys.json"));
        var clock = new ManualClock();
        await using var store = new InMemoryEventStore();
        var here = FieldEncryption.Create(store, new FieldEncryptionOptions(keys) { TimeProvider = clock, CacheTtl = TimeSpan.FromMinutes(5) });
        var elsewhere = FieldEncryption.Create(store, new FieldEncryptionOptions(keys) { TimeProvider = clock });
        await here.Store.AppendAsync("c-1", ExpectedVersion.Any, [Personal("s-1", """{"email":"a@example.org"}""")], Ct);
        Assert.Equal("a@example.org", await EmailAsync(here));

        await elsewhere.EraseSubjectAsync("s-1", Ct);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("a@example.org", await EmailAsync(here));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(EncryptionHeaders.RedactionMarker, await EmailAsync(here));
    }

    [Fact]
    public async Task A_small_cache_evicts_and_every_subject_still_decrypts()
    {
        var keys = LocalKeyFile.Create(Path.Combine(_dir, "keys.json"));
        await using var store = new InMemoryEventStore();
        var enc = FieldEncryption.Create(store, new FieldEncryptionOptions(keys) { CacheSize = 4 });
        for (var i = 0; i < 40; i++)
        {
            await enc.Store.AppendAsync("c-1", ExpectedVersion.Any, [Personal($"s-{i}", $$"""{"email":"{{i}}@example.org"}""")], Ct);
        }

        var fresh = FieldEncryption.Create(store, new FieldEncryptionOptions(keys) { CacheSize = 4 });
        var i2 = 0;
        await foreach (var e in fresh.Store.ReadStreamAsync("c-1", cancellationToken: Ct))
        {
            Assert.Equal($"{i2++}@example.org", (string?)JsonNode.Parse(e.Data.Span)!["email"]);
        }

        Assert.Equal(40, i2);
    }

    [Fact]
    public void Attributes_and_the_fluent_form_make_the_same_rule_and_bad_rules_are_refused()
    {
        var fromAttributes = new EncryptionPolicy().Add<Registered>().Find("registered");
        var fluent = new EncryptionPolicy().ForEventType("registered").SubjectFrom("customerId").Encrypt("email", "fullName").Find("registered");
        Assert.Equal("customerId", fromAttributes!.SubjectField);
        Assert.Equal(["email", "fullName"], fromAttributes.PersonalFields);
        Assert.Equal(fromAttributes.PersonalFields, fluent!.PersonalFields);
        Assert.Throws<ArgumentException>(() => new EncryptionPolicy().Add<NoSubject>());
        Assert.Throws<InvalidOperationException>(() => new EncryptionPolicy().ForEventType("x").Encrypt("email"));
        Assert.Throws<ArgumentException>(() => new EncryptionPolicy().ForEventType("x").SubjectFrom("email").Encrypt("email"));
        Assert.Throws<ArgumentException>(() => EncryptionHeaders.For("s", ["a,b"]));
    }

    [Fact]
    public async Task A_tenant_is_bound_into_the_ciphertext_by_its_normalised_id_and_another_tenant_cannot_decrypt()
    {
        var keys = LocalKeyFile.Create(Path.Combine(_dir, "keys.json"));
        await using var store = new InMemoryEventStore();
        var acme = FieldEncryption.Create(store, new FieldEncryptionOptions(keys).ForTenant(Tenancy.TenantId.Parse("Acme")));
        await acme.Store.AppendAsync("c-1", ExpectedVersion.Any, [Personal("s-1", """{"email":"a@example.org"}""")], Ct);

        var sameTenantOtherSpelling = FieldEncryption.Create(store, new FieldEncryptionOptions(keys).ForTenant(Tenancy.TenantId.Parse(" ACME ")));
        Assert.Equal("a@example.org", await EmailAsync(sameTenantOtherSpelling));

        var globex = FieldEncryption.Create(store, new FieldEncryptionOptions(keys).ForTenant(Tenancy.TenantId.Parse("globex")));
        await Assert.ThrowsAsync<EventDecryptionException>(() => EmailAsync(globex));
        Assert.Throws<Tenancy.MissingTenantContextException>(() => new FieldEncryptionOptions(keys).ForTenant(default));
    }

    private static EventData Personal(string subject, string json)
        => new(EventData.NewEventId(), "signed-up", Encoding.UTF8.GetBytes(json), EncryptionHeaders.For(subject, ["email"]));

    private static async Task<string?> EmailAsync(FieldEncryption enc)
    {
        await foreach (var e in enc.Store.ReadStreamAsync("c-1", cancellationToken: Ct))
        {
            return (string?)JsonNode.Parse(e.Data.Span)!["email"];
        }

        return null;
    }

    [Typed.EventType("registered")]
    private sealed record Registered([property: DataSubject] string CustomerId, [property: PersonalData] string Email, [property: PersonalData] string FullName, int Tier);

    private sealed record NoSubject([property: PersonalData] string Email);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
