using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Eventuali.InMemory;
using Eventuali.Typed;

namespace Eventuali.Core.Tests;

[EventType("json.account-credited")]
public sealed record AccountCredited(string AccountId, decimal Amount, DateTimeOffset At, IReadOnlyList<string> Tags);

[EventType("json.source-generated")]
public sealed record SourceGeneratedEvent(string AccountId, int RetryCount);

[EventType("json.not-in-context")]
public sealed record NotInContextEvent(string DisplayName);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SourceGeneratedEvent))]
internal sealed partial class SnakeCaseJsonContext : JsonSerializerContext;

public sealed class JsonEventSerializerTests
{
    private static readonly AccountCredited Sample = new("acc-1", 12.50m, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), ["vip", "eu"]);

    [Fact]
    public void Default_writes_readable_camel_case_json()
    {
        var serializer = new JsonEventSerializer();
        var bytes = serializer.Serialize(Sample, typeof(AccountCredited));
        Assert.Equal("""{"accountId":"acc-1","amount":12.50,"at":"2026-01-02T03:04:05+00:00","tags":["vip","eu"]}""", Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(ContentTypes.Json, serializer.ContentType);
        Assert.True(serializer.CanSerialize(typeof(AccountCredited)));
    }

    [Fact]
    public void Default_keeps_non_ascii_text_readable_and_escapes_html_sensitive_characters()
    {
        var serializer = new JsonEventSerializer();
        var json = Encoding.UTF8.GetString(serializer.Serialize(new NotInContextEvent("Grüße, مرحبا, 日本 <b>&'"), typeof(NotInContextEvent)));
        Assert.Equal("""{"displayName":"Grüße, مرحبا, 日本 \u003Cb\u003E\u0026\u0027"}""", json);
        Assert.Equal(new NotInContextEvent("Grüße, مرحبا, 日本 <b>&'"), serializer.Deserialize(Encoding.UTF8.GetBytes(json), typeof(NotInContextEvent)));
    }

    [Fact]
    public void Default_round_trips_and_reads_any_property_casing()
    {
        var serializer = new JsonEventSerializer();
        var back = (AccountCredited)serializer.Deserialize(serializer.Serialize(Sample, typeof(AccountCredited)), typeof(AccountCredited));
        Assert.Equal((Sample.AccountId, Sample.Amount, Sample.At), (back.AccountId, back.Amount, back.At));
        Assert.Equal(Sample.Tags, back.Tags);
        var pascal = (SourceGeneratedEvent)serializer.Deserialize("""{"AccountId":"a","RetryCount":2}"""u8, typeof(SourceGeneratedEvent));
        Assert.Equal(new SourceGeneratedEvent("a", 2), pascal);
    }

    [Fact]
    public void Json_null_and_invalid_json_are_errors()
    {
        var serializer = new JsonEventSerializer();
        Assert.Throws<JsonException>(() => serializer.Deserialize("null"u8, typeof(AccountCredited)));
        Assert.ThrowsAny<JsonException>(() => serializer.Deserialize("{\"accountId\": \"x\""u8, typeof(AccountCredited)));
    }

    [Fact]
    public void Custom_options_are_used_and_frozen()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower };
        var serializer = new JsonEventSerializer(options);
        Assert.Equal("""{"display-name":"x"}""", Encoding.UTF8.GetString(serializer.Serialize(new NotInContextEvent("x"), typeof(NotInContextEvent))));
        Assert.True(serializer.Options.IsReadOnly);
    }

    [Fact]
    public void Source_generated_context_is_used_with_its_options()
    {
        var serializer = new JsonEventSerializer(SnakeCaseJsonContext.Default);
        var bytes = serializer.Serialize(new SourceGeneratedEvent("acc-9", 3), typeof(SourceGeneratedEvent));
        Assert.Equal("""{"account_id":"acc-9","retry_count":3}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(new SourceGeneratedEvent("acc-9", 3), serializer.Deserialize(bytes, typeof(SourceGeneratedEvent)));
        Assert.True(serializer.Options.IsReadOnly);
    }

    [Fact]
    public void Source_generated_context_falls_back_to_reflection_for_other_types()
    {
        var serializer = new JsonEventSerializer(SnakeCaseJsonContext.Default);
        var bytes = serializer.Serialize(new NotInContextEvent("Ada"), typeof(NotInContextEvent));
        Assert.Equal("""{"display_name":"Ada"}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(new NotInContextEvent("Ada"), serializer.Deserialize(bytes, typeof(NotInContextEvent)));
    }

    [Fact]
    public async Task Source_generated_serializer_works_through_a_store()
    {
        var types = new EventTypeRegistry(new JsonEventSerializer(SnakeCaseJsonContext.Default));
        await using var store = new InMemoryEventStore(new EventStoreOptions { Types = types });
        var data = types.ToEventData(new SourceGeneratedEvent("acc-1", 1));
        await store.AppendAsync("s-1", ExpectedVersion.NoStream, [data], TestContext.Current.CancellationToken);
        await foreach (var recorded in store.ReadStreamAsync("s-1", cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal("""{"account_id":"acc-1","retry_count":1}""", Encoding.UTF8.GetString(recorded.Data.Span));
            Assert.Equal(new SourceGeneratedEvent("acc-1", 1), types.Deserialize(recorded));
        }
    }

    [Fact]
    public void Options_with_a_source_generated_resolver_use_no_reflection_and_name_a_type_they_do_not_know()
    {
        // What a trimmed or Native AOT application configures: only the context's types, no reflection fallback.
        var serializer = new JsonEventSerializer(new JsonSerializerOptions { TypeInfoResolver = SnakeCaseJsonContext.Default });
        var bytes = serializer.Serialize(new SourceGeneratedEvent("acc-9", 3), typeof(SourceGeneratedEvent));
        // The naming policy is the options' own (none here), not the context's.
        Assert.Equal("""{"AccountId":"acc-9","RetryCount":3}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(new SourceGeneratedEvent("acc-9", 3), serializer.Deserialize(bytes, typeof(SourceGeneratedEvent)));
        var unknown = Assert.Throws<NotSupportedException>(() => serializer.Serialize(new NotInContextEvent("x"), typeof(NotInContextEvent)));
        Assert.Contains(nameof(NotInContextEvent), unknown.Message, StringComparison.Ordinal);
    }
}
