using System.Diagnostics;
using Eventuali.Diagnostics;

namespace Eventuali.OpenTelemetry.Tests;

public sealed class StoreSpanTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("memory", "other_sql")]
    [InlineData("sqlite", "sqlite")]
    public async Task Append_and_reads_each_make_one_span_named_for_the_operation_and_category(string kind, string system)
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync(kind);
        var category = Stores.NewCategory();
        var stream = $"{category}-42";

        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event(), Stores.Event()], Ct);
        var read = await store.ReadStreamAsync(stream, cancellationToken: Ct).ToListAsync(Ct);
        var all = await store.ReadAllAsync(cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(2, read.Count);
        Assert.Equal(2, all.Count);
        var append = Assert.Single(collected.Eventuali, s => s.DisplayName == $"append {category}");
        Assert.Equal(ActivityKind.Client, append.Kind);
        Assert.Equal(system, append.GetTagItem("db.system.name"));
        Assert.Equal("append", append.GetTagItem("db.operation.name"));
        Assert.Equal(category, append.GetTagItem("db.collection.name"));
        Assert.Equal(2, append.GetTagItem("eventuali.event.count"));
        Assert.Equal(ActivityStatusCode.Unset, append.Status);
        if (kind == "sqlite")
        {
            Assert.Equal("events.db", append.GetTagItem("db.namespace"));
        }

        var readSpan = Assert.Single(collected.Eventuali, s => s.DisplayName == $"read_stream {category}");
        Assert.Equal("read_stream", readSpan.GetTagItem("db.operation.name"));
        Assert.Equal(2L, readSpan.GetTagItem("eventuali.event.count"));
        var readAll = Assert.Single(collected.Eventuali, s => s.DisplayName == "read_all");
        Assert.Equal("read_all", readAll.GetTagItem("db.operation.name"));
        Assert.Null(readAll.GetTagItem("db.collection.name"));

        // The stream id is not on any span unless asked for.
        Assert.DoesNotContain(collected.Eventuali, s => s.TagObjects.Any(t => Equals(t.Value, stream)));
        Assert.DoesNotContain(collected.Eventuali, s => s.GetTagItem(EventualiAttributes.StreamId) is not null);
    }

    [Fact]
    public async Task The_stream_id_is_on_spans_only_when_opted_in()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("sqlite", new EventStoreOptions { RecordStreamIdInTraces = true });
        var stream = $"{Stores.NewCategory()}-7";

        await store.AppendAsync(stream, ExpectedVersion.Any, [Stores.Event()], Ct);

        var append = Assert.Single(collected.Eventuali, s => s.GetTagItem("db.operation.name") as string == "append");
        Assert.Equal(stream, append.GetTagItem("eventuali.stream.id"));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_version_conflict_fails_the_span_with_the_exception_type(string kind)
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync(kind);
        var category = Stores.NewCategory();
        var stream = $"{category}-1";
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event()], Ct);

        await Assert.ThrowsAsync<ConcurrencyException>(async () => await store.AppendAsync(stream, ExpectedVersion.NoStream, [Stores.Event()], Ct));

        var failed = Assert.Single(collected.Eventuali, s => s.DisplayName == $"append {category}" && s.Status == ActivityStatusCode.Error);
        Assert.Equal("Eventuali.ConcurrencyException", failed.GetTagItem("error.type"));
        Assert.Equal("Eventuali.ConcurrencyException", failed.StatusDescription);

        // The message names the stream: it must not leak onto the span.
        Assert.DoesNotContain(failed.Events, e => e.Name == "exception");
        Assert.DoesNotContain(failed.TagObjects, t => t.Value is string v && v.Contains(stream, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_without_a_category_is_named_by_the_operation_alone()
    {
        await using var stores = new Stores();
        using var collected = new Collected();
        var store = await stores.OpenAsync("memory");
        var stream = "nodash" + Guid.NewGuid().ToString("N");

        await store.AppendAsync(stream, ExpectedVersion.Any, [Stores.Event()], Ct);

        var append = Assert.Single(collected.Eventuali);
        Assert.Equal("append", append.DisplayName);
        Assert.Null(append.GetTagItem("db.collection.name"));
    }
}
