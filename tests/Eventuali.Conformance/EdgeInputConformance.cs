namespace Eventuali.Conformance;

/// <summary>Hostile and extreme names are stored verbatim; invalid ones are refused with ArgumentException and write nothing.</summary>
public abstract class EdgeInputConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    public static TheoryData<string> HostileNames =>
    [
        "x'); DROP TABLE events;--",
        "\" OR 1=1 --",
        "'; SELECT pg_sleep(10); --",
        "🎉-party-👨‍👩‍👧",
        "مرحبا-עולם",
        "e\u0301\u0327-combining",
        "quote'single\"double`back",
        "back\\slash\\\\",
        "100%-percent_underscore",
        "$1 :name @p0 ?",
        "\u200Bzero-width\uFEFF",
    ];

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_stream_id_and_type_name_round_trip_verbatim(string name)
    {
        await using var store = await NewStoreAsync();
        var e = TestData.Json(name, """{"v":1}""");
        await store.AppendEventsAsync(name, ExpectedVersion.NoStream, e);
        await store.AppendEventsAsync("plain", ExpectedVersion.NoStream, TestData.Json());

        var read = Assert.Single(await store.ReadStreamListAsync(name));
        Assert.Equal(name, read.StreamId);
        Assert.Equal(name, read.EventType);
        Assert.Equal(1, await store.GetStreamVersionAsync(name, Ct));
        Assert.Equal(name, Assert.Single(await store.ReadAllListAsync(filter: EventFilter.ForEventTypes(name))).EventType);
        Assert.Equal(name, Assert.Single(await store.ReadAllListAsync(filter: EventFilter.ForCategory(name))).StreamId);
        Assert.Equal(2, (await store.ReadAllListAsync()).Count);

        // And the stream still refuses a stale write.
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync(name, ExpectedVersion.NoStream, TestData.Json()));
    }

    [Fact]
    public async Task Like_wildcards_in_a_category_prefix_match_only_themselves()
    {
        await using var store = await NewStoreAsync();
        foreach (var id in new[] { "a_1", "ab", "a%b", "abc", "a\\b", "a\\\\b", "A_1", "a[b]", "a*b", "a.b", "a_" })
        {
            await store.AppendEventsAsync(id, ExpectedVersion.NoStream, TestData.Json());
        }

        async Task<string[]> Category(string prefix) => [.. (await store.ReadAllListAsync(filter: EventFilter.ForCategory(prefix))).Select(e => e.StreamId).Order(StringComparer.Ordinal)];

        Assert.Equal(["a_", "a_1"], await Category("a_"));
        Assert.Equal(["a%b"], await Category("a%"));
        Assert.Equal(["a\\b"], await Category("a\\b"));
        Assert.Equal(["a\\\\b", "a\\b"], await Category("a\\"));
        Assert.Equal(["a[b]"], await Category("a["));
        Assert.Equal(["a*b"], await Category("a*"));
        Assert.Equal(["a.b"], await Category("a."));
        Assert.Empty(await Category("a_1_"));
    }

    [Fact]
    public async Task Event_type_filter_is_exact_not_a_pattern()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json("a_c"), TestData.Json("abc"), TestData.Json("a%"), TestData.Json("A_C"));
        Assert.Equal("a_c", Assert.Single(await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("a_c"))).EventType);
        Assert.Equal("a%", Assert.Single(await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("a%"))).EventType);
        Assert.Empty(await store.ReadAllListAsync(filter: EventFilter.ForEventTypes("a")));
    }

    [Fact]
    public async Task Stream_id_of_the_maximum_length_round_trips()
    {
        await using var store = await NewStoreAsync();
        var id = string.Concat(Enumerable.Range(0, 1000).Select(i => (char)('a' + (i % 26))));
        await AssertRoundTripAsync(store, id);
    }

    [Fact]
    public async Task Stream_id_of_the_maximum_length_in_multibyte_characters_round_trips()
    {
        // 1000 UTF-16 characters that take 3 bytes each in UTF-8: indexes must cope with 3000 bytes.
        await using var store = await NewStoreAsync();
        await AssertRoundTripAsync(store, new string('中', 1000));
        await AssertRoundTripAsync(store, string.Concat(Enumerable.Repeat("😀", 500)));
    }

    [Fact]
    public async Task Long_stream_ids_differing_only_in_the_last_character_are_distinct()
    {
        await using var store = await NewStoreAsync();
        var stem = new string('s', 999);
        await store.AppendEventsAsync(stem + "a", ExpectedVersion.NoStream, TestData.Json());
        await store.AppendEventsAsync(stem + "b", ExpectedVersion.NoStream, TestData.Many(2));
        Assert.Equal(1, await store.GetStreamVersionAsync(stem + "a", Ct));
        Assert.Equal(2, await store.GetStreamVersionAsync(stem + "b", Ct));
        Assert.Equal(3, (await store.ReadAllListAsync(filter: EventFilter.ForCategory(stem))).Count);
    }

    [Fact]
    public async Task Long_event_type_name_round_trips()
    {
        await using var store = await NewStoreAsync();
        var type = "type-" + new string('t', 995);
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json(type));
        Assert.Equal(type, Assert.Single(await store.ReadStreamListAsync("s-1")).EventType);
    }

    public static TheoryData<string> InvalidStreamIds => ["", " ", "\t\n", "a\0b", "\0", new string('x', 1001)];

    [Theory]
    [MemberData(nameof(InvalidStreamIds))]
    public async Task Invalid_stream_id_is_refused_with_an_argument_error_and_writes_nothing(string id)
    {
        await using var store = await NewStoreAsync();
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendEventsAsync(id, ExpectedVersion.Any, TestData.Json()));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.GetStreamVersionAsync(id, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadStreamListAsync(id));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
        Assert.Empty(await store.ReadAllListAsync());
    }

    [Fact]
    public async Task Stream_id_with_a_lone_surrogate_is_refused_and_writes_nothing()
    {
        // A lone surrogate cannot be encoded as UTF-8: stored, it would be replaced and two ids could collide.
        await using var store = await NewStoreAsync();
        foreach (var id in new[] { "a\uD800b", "tail\uD83D", "\uDE00head" })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendEventsAsync(id, ExpectedVersion.Any, TestData.Json()));
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.GetStreamVersionAsync(id, Ct));
        }

        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Unstorable_text_in_a_type_name_content_type_or_metadata_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        EventData[] bad =
        [
            TestData.Json("type\uDC00"),
            new EventData(Guid.NewGuid(), "t", "{}"u8.ToArray(), null, "text/\uD800plain"),
            TestData.Json(metadata: new EventMetadata(CorrelationId: "c\0")),
            TestData.Json(metadata: new EventMetadata(CausationId: "\uD800")),
            TestData.Json(metadata: new EventMetadata(ActorId: "a\0b")),
            TestData.Json(metadata: new EventMetadata(Headers: new Dictionary<string, string> { ["k\0"] = "v" })),
            TestData.Json(metadata: new EventMetadata(Headers: new Dictionary<string, string> { ["k"] = "v\uDFFF" })),
        ];
        foreach (var e in bad)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Json(), e));
        }

        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Null_stream_id_and_null_events_are_refused()
    {
        await using var store = await NewStoreAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.AppendAsync(null!, ExpectedVersion.Any, [TestData.Json()], Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Any, null!, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Any, [TestData.Json(), null!], Ct));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Empty_append_is_refused_with_an_argument_error_naming_the_stream()
    {
        await using var store = await NewStoreAsync();
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.AppendAsync("s-1", ExpectedVersion.Any, [], Ct));
        Assert.Contains("s-1", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.AppendAsync("s-1", ExpectedVersion.StreamExists, [], Ct));
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
    }

    [Fact]
    public async Task Event_type_with_a_nul_character_is_refused_and_writes_nothing()
    {
        await using var store = await NewStoreAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendEventsAsync("s-1", ExpectedVersion.Any, TestData.Json(), TestData.Json("bad\0type")));
        Assert.Null(await store.GetStreamVersionAsync("s-1", Ct));
        Assert.Equal(0, await store.GetHeadPositionAsync(Ct));
    }

    [Fact]
    public async Task Negative_max_count_is_refused()
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync("s-1", ExpectedVersion.NoStream, TestData.Json());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadStreamListAsync("s-1", 1, -1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadAllListAsync(1, -1));
    }

    private static async Task AssertRoundTripAsync(IEventStore store, string id)
    {
        await store.AppendEventsAsync(id, ExpectedVersion.NoStream, TestData.Json());
        await store.AppendEventsAsync(id, ExpectedVersion.Exact(1), TestData.Json());
        var read = await store.ReadStreamListAsync(id);
        Assert.Equal(2, read.Count);
        Assert.All(read, e => Assert.Equal(id, e.StreamId));
        Assert.Equal(2, await store.GetStreamVersionAsync(id, Ct));
        Assert.Equal(2, (await store.ReadAllListAsync(filter: EventFilter.ForCategory(id))).Count);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendEventsAsync(id, ExpectedVersion.Exact(1), TestData.Json()));
    }
}
