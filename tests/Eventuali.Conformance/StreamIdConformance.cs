namespace Eventuali.Conformance;

/// <summary>
/// The stream-id rules every backend applies the same way (they live in Core's append validation): control
/// characters are refused with a typed error in the user's words, and nothing is written.
/// </summary>
public abstract class StreamIdConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    public static TheoryData<string, string> ControlCharacterIds => new()
    {
        { "order\t1", "U+0009 at position 6" },
        { "order-\u00011", "U+0001 at position 7" },
        { "line\nbreak", "U+000A at position 5" },
        { "cr\r", "U+000D at position 3" },
        { "del\u007F", "U+007F at position 4" },
        { "c1\u0085next-line", "U+0085 at position 3" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacterIds))]
    public async Task Stream_id_with_a_control_character_is_refused_and_nothing_is_written(string streamId, string where)
    {
        await using var store = await NewStoreAsync();
        var ex = await Assert.ThrowsAsync<InvalidStreamIdException>(() => store.AppendEventsAsync(streamId, ExpectedVersion.Any, TestData.Json()));
        Assert.Equal($"Stream id must not contain control characters; found {where}.", ex.Message);
        Assert.Equal("streamId", ex.ParamName);
        Assert.DoesNotContain("(Parameter", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ReadAllListAsync());
    }

    [Theory]
    [InlineData("", "Stream id must not be empty or white space.")]
    [InlineData("a\0b", "Stream id must not contain a NUL character.")]
    public async Task Other_invalid_stream_ids_read_the_same_on_every_backend(string streamId, string message)
    {
        await using var store = await NewStoreAsync();
        var ex = await Assert.ThrowsAsync<InvalidStreamIdException>(() => store.AppendEventsAsync(streamId, ExpectedVersion.Any, TestData.Json()));
        Assert.Equal(message, ex.Message);
        Assert.Empty(await store.ReadAllListAsync());
    }

    [Theory]
    [InlineData("caf\u00E9-\u00FCber-\u65E5\u672C")]
    [InlineData("space in the middle")]
    [InlineData("\u200Bzero-width\uFEFF")]
    public async Task Printable_unicode_and_inner_spaces_are_still_accepted(string streamId)
    {
        await using var store = await NewStoreAsync();
        await store.AppendEventsAsync(streamId, ExpectedVersion.NoStream, TestData.Json());
        Assert.Equal(streamId, Assert.Single(await store.ReadStreamListAsync(streamId)).StreamId);
    }
}
