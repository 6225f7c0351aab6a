using System.Text;
using System.Text.Json.Nodes;
using Eventuali.Projections;
using Eventuali.Security.Encryption;
using Eventuali.Snapshots;
using Eventuali.Typed;
using static Eventuali.Conformance.Security.SecurityTestKit;

namespace Eventuali.Conformance.Security;

/// <summary>
/// Field encryption on a backend: round trips of raw and typed events, snapshots and inline projections; storage
/// holds only ciphertext; a ciphertext moved, truncated or altered, or a corrupt wrapped key, fails with a typed
/// error naming the stream, event and key, and changes nothing stored.
/// </summary>
public abstract class EncryptionConformance<TFixture>(TFixture fixture) : KeyFileConformance<TFixture>(fixture)
    where TFixture : class, IStoreFixture
{
    private const string Marker = "PLAINTEXT-MARKER-7f3a";

    [Fact]
    public async Task Raw_event_fields_round_trip_and_are_stored_encrypted()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var json = $$"""{"email":"alice-{{Marker}}@example.org","name":"Alice {{Marker}}","age":41,"plan":"gold"}""";
        await enc.Store.AppendAsync("conformance-enc-raw", ExpectedVersion.NoStream, [Personal("subject-1", json, "email", "name", "age")], Ct);

        var read = Assert.Single(await ReadAsync(enc.Store, "conformance-enc-raw", Ct));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), Json(read)));
        Assert.Equal("subject-1", read.Metadata.Headers![EncryptionHeaders.Subject]);

        var stored = Assert.Single(await ReadAsync(store, "conformance-enc-raw", Ct));
        Assert.DoesNotContain(Marker, Text(stored.Data), StringComparison.Ordinal);
        Assert.Equal("gold", (string?)Json(stored)["plan"]);
        Assert.Equal("enc1", (string?)Json(stored)["age"]!["$eventuali"]);
        Assert.Equal("email,name,age", stored.Metadata.Headers![EncryptionHeaders.Encrypted]);
        Assert.False(stored.Metadata.Headers.ContainsKey(EncryptionHeaders.Personal));
    }

    [Fact]
    public async Task Typed_aggregates_snapshots_and_inline_projections_see_plaintext_while_storage_holds_ciphertext()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var seen = new List<string>();
        if (enc.Store.GetFeature<IInlineProjectionStore>() is { } inline)
        {
            await inline.AddInlineProjectionAsync(new EmailProjection(seen), Ct);
        }

        var customer = Customer.Register("c1", $"bob-{Marker}@example.org", $"Bob {Marker}", 2);
        await enc.Store.SaveAsync(customer, cancellationToken: Ct);
        customer.ChangeEmail($"bob2-{Marker}@example.org");
        await enc.Store.SaveAsync(customer, cancellationToken: Ct);
        await enc.Store.TakeSnapshotAsync(customer, SnapshotCodec.None, Ct);

        var loaded = await enc.Store.LoadWithReportAsync<Customer>("c1", cancellationToken: Ct);
        Assert.Equal(2, loaded.SnapshotVersion);
        Assert.Equal(($"bob2-{Marker}@example.org", $"Bob {Marker}", 2, 1), (loaded.Aggregate.Email, loaded.Aggregate.Name, loaded.Aggregate.Tier, loaded.Aggregate.Changes));
        if (store.GetFeature<IInlineProjectionStore>() is not null)
        {
            Assert.Equal([$"bob-{Marker}@example.org", $"bob2-{Marker}@example.org"], seen);
        }

        foreach (var e in await ReadAsync(store, "conformance-customer-c1", Ct))
        {
            Assert.DoesNotContain(Marker, Text(e.Data), StringComparison.Ordinal);
            Assert.Equal("c1", (string?)Json(e)["customerId"]);
        }

        var rawSnapshot = await store.GetFeature<ISnapshotStore>()!.ReadSnapshotAsync("conformance-customer-c1", cancellationToken: Ct);
        Assert.NotNull(rawSnapshot);
        Assert.True(Encoding.UTF8.GetString(rawSnapshot.Data.Span).IndexOf(Marker, StringComparison.Ordinal) < 0, "the stored snapshot holds plaintext");
    }

    [Fact]
    public async Task A_ciphertext_copied_to_another_event_or_field_fails_with_EventDecryptionException()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var json = $$"""{"email":"carol-{{Marker}}@example.org","name":"Carol {{Marker}}"}""";
        await enc.Store.AppendAsync("conformance-enc-a", ExpectedVersion.NoStream, [Personal("subject-c", json, "email", "name")], Ct);
        var original = Assert.Single(await ReadAsync(store, "conformance-enc-a", Ct));

        // Another event: the same stored bytes and headers under a new id in another stream.
        var copy = new EventData(EventData.NewEventId(), original.EventType, original.Data, original.Metadata, original.ContentType);
        await store.AppendAsync("conformance-enc-b", ExpectedVersion.NoStream, [copy], Ct);
        var moved = await Assert.ThrowsAsync<EventDecryptionException>(async () => await ReadAsync(enc.Store, "conformance-enc-b", Ct));
        Assert.Equal(("conformance-enc-b", copy.EventId), (moved.StreamId, moved.EventId));
        Assert.Contains("subject-c/1", moved.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, moved.Message, StringComparison.Ordinal);

        // Another field of the same event: encrypt without storing, swap the two envelopes, store that.
        var sealedEvent = await enc.Interceptor.OnAppendingAsync("conformance-enc-c", Personal("subject-c", json, "email", "name"), Ct);
        var swapped = JsonNode.Parse(sealedEvent.Data.Span)!.AsObject();
        (swapped["email"], swapped["name"]) = (swapped["name"]!.DeepClone(), swapped["email"]!.DeepClone());
        await store.AppendAsync("conformance-enc-c", ExpectedVersion.NoStream, [new EventData(sealedEvent.EventId, sealedEvent.EventType, Encoding.UTF8.GetBytes(swapped.ToJsonString()), sealedEvent.Metadata)], Ct);
        var field = await Assert.ThrowsAsync<EventDecryptionException>(async () => await ReadAsync(enc.Store, "conformance-enc-c", Ct));
        Assert.Equal(sealedEvent.EventId, field.EventId);
        Assert.DoesNotContain(Marker, field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_or_altered_ciphertext_fails_typed_and_the_failed_read_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var json = $$"""{"email":"dan-{{Marker}}@example.org"}""";
        var streams = new List<string>();
        foreach (var (name, damage) in new (string, Func<string, string>)[]
        {
            ("truncated", c => c[..8]),
            ("altered", c => (c[0] == 'A' ? "B" : "A") + c[1..]),
            ("not-base64", _ => "%%%"),
        })
        {
            var stream = "conformance-enc-" + name;
            var sealedEvent = await enc.Interceptor.OnAppendingAsync(stream, Personal("subject-d", json, "email"), Ct);
            var node = JsonNode.Parse(sealedEvent.Data.Span)!;
            node["email"]!["c"] = damage((string)node["email"]!["c"]!);
            await store.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(sealedEvent.EventId, sealedEvent.EventType, Encoding.UTF8.GetBytes(node.ToJsonString()), sealedEvent.Metadata)], Ct);
            streams.Add(stream);
        }

        foreach (var stream in streams)
        {
            var before = Text(Assert.Single(await ReadAsync(store, stream, Ct)).Data);
            var error = await Assert.ThrowsAsync<EventDecryptionException>(async () => await ReadAsync(enc.Store, stream, Ct));
            Assert.Equal(stream, error.StreamId);
            Assert.Equal("subject-d/1", error.KeyId);
            Assert.Equal(before, Text(Assert.Single(await ReadAsync(store, stream, Ct)).Data));
        }
    }

    [Fact]
    public async Task A_corrupt_wrapped_data_key_fails_typed_naming_the_key_and_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        await enc.Store.AppendAsync("conformance-enc-k", ExpectedVersion.NoStream, [Personal("subject-k", $$"""{"email":"{{Marker}}"}""", "email")], Ct);
        var key = Assert.Single(await enc.Keys.GetDataKeysAsync("subject-k", Ct));
        var corrupt = key.WrappedKey.ToArray();
        corrupt[^1] ^= 0x5a;
        Assert.True(await enc.Keys.ReplaceWrappingAsync("subject-k", 1, key.KekId, key.KekId, corrupt, Ct));

        var fresh = Encrypt(store, KeyFile.Keys);
        var error = await Assert.ThrowsAsync<EventDecryptionException>(async () => await ReadAsync(fresh.Store, "conformance-enc-k", Ct));
        Assert.Equal("subject-k/1", error.KeyId);
        Assert.Contains(key.KekId, error.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, Assert.Single(await enc.Keys.GetDataKeysAsync("subject-k", Ct)).WrappedKey.ToArray());
    }

    [Fact]
    public async Task A_binary_payload_is_encrypted_whole_and_round_trips()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var payload = Encoding.UTF8.GetBytes("\u0008\u0001\u0012" + Marker);
        var e = new EventData(EventData.NewEventId(), "conformance.proto", payload, EncryptionHeaders.For("subject-p", ["payload"]), ContentTypes.Protobuf);
        await enc.Store.AppendAsync("conformance-enc-proto", ExpectedVersion.NoStream, [e], Ct);

        var stored = Assert.Single(await ReadAsync(store, "conformance-enc-proto", Ct));
        Assert.Equal(EncryptionHeaders.EncryptedContentType, stored.ContentType);
        Assert.True(stored.Data.Span.IndexOf(Encoding.UTF8.GetBytes(Marker)) < 0);
        var read = Assert.Single(await ReadAsync(enc.Store, "conformance-enc-proto", Ct));
        Assert.Equal(ContentTypes.Protobuf, read.ContentType);
        Assert.Equal(payload, read.Data.ToArray());
    }

    [Fact]
    public async Task A_data_key_is_replaced_before_its_use_limit_and_old_versions_still_decrypt()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys, o => o with { MaxUsesPerKey = 3, UseReservation = 1 });
        for (var i = 0; i < 5; i++)
        {
            await enc.Store.AppendAsync("conformance-enc-uses", ExpectedVersion.Any, [Personal("subject-u", $$"""{"email":"u{{i}}@example.org"}""", "email")], Ct);
        }

        var stored = await ReadAsync(store, "conformance-enc-uses", Ct);
        Assert.Equal(["1", "1", "1", "2", "2"], stored.Select(e => e.Metadata.Headers![KeyVersionHeader]));
        Assert.Equal(2, (await enc.Keys.GetDataKeysAsync("subject-u", Ct)).Count);
        var read = await ReadAsync(Encrypt(store, KeyFile.Keys).Store, "conformance-enc-uses", Ct);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"u{i}@example.org"), read.Select(e => (string?)Json(e)["email"]));
    }

    [Fact]
    public async Task Reads_served_from_the_key_cache_complete_synchronously()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        await enc.Store.AppendAsync("conformance-enc-sync", ExpectedVersion.NoStream, [Personal("subject-s", """{"email":"s@example.org"}""", "email")], Ct);
        var stored = Assert.Single(await ReadAsync(store, "conformance-enc-sync", Ct));
        _ = await enc.Interceptor.OnReadingAsync(stored, Ct);
        var read = enc.Interceptor.OnReadingAsync(stored, Ct);
        Assert.True(read.IsCompletedSuccessfully);
        _ = await read;
        var append = enc.Interceptor.OnAppendingAsync("conformance-enc-sync", Personal("subject-s", """{"email":"t@example.org"}""", "email"), Ct);
        Assert.True(append.IsCompletedSuccessfully);
        _ = await append;
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_typed_error_and_nothing_is_stored()
    {
        await using var store = await NewStoreAsync();
        var enc = Encrypt(store, KeyFile.Keys);
        var noSubject = new EventData(EventData.NewEventId(), "conformance.x", """{"email":"x"}"""u8.ToArray(), new EventMetadata(Headers: new Dictionary<string, string> { [EncryptionHeaders.Personal] = "email" }));
        await Assert.ThrowsAsync<EventEncryptionException>(async () => await enc.Store.AppendAsync("conformance-enc-bad", ExpectedVersion.Any, [noSubject], Ct));
        await Assert.ThrowsAsync<EventEncryptionException>(async () => await enc.Store.AppendAsync("conformance-enc-bad", ExpectedVersion.Any, [Personal("subject-x", "[1,2]", "email")], Ct));
        await Assert.ThrowsAsync<EventEncryptionException>(async () => await enc.Store.AppendAsync("conformance-enc-bad", ExpectedVersion.Any, [Personal("bad\u0001subject", """{"email":"x"}""", "email")], Ct));
        var unnamed = new EventData(EventData.NewEventId(), "conformance.customer-registered", """{"email":"x"}"""u8.ToArray());
        await Assert.ThrowsAsync<EventEncryptionException>(async () => await enc.Store.AppendAsync("conformance-enc-bad", ExpectedVersion.Any, [unnamed], Ct));
        Assert.Null(await store.GetStreamVersionAsync("conformance-enc-bad", Ct));
    }

    private sealed class EmailProjection : Projection
    {
        public EmailProjection(List<string> seen)
            : base("conformance-emails")
        {
            On("conformance.customer-registered", (e, _, _) => Add(seen, e));
            On("conformance.customer-email-changed", (e, _, _) => Add(seen, e));
        }

        private static ValueTask Add(List<string> seen, RecordedEvent e)
        {
            lock (seen)
            {
                seen.Add((string)JsonNode.Parse(e.Data.Span)!["email"]!);
            }

            return ValueTask.CompletedTask;
        }
    }
}
