using System.Buffers.Binary;
using System.Text;
using Eventuali.Security.Chain;

namespace Eventuali.Security.Tests.Chain;

/// <summary>
/// Properties of the canonical event encoding the chain hashes: it decodes back to the very fields it was made from
/// (so two events with any differing field, however their boundaries shift, never share an encoding), it ignores
/// header order, and it tells absent from empty. Inputs come from a seeded generator over a tiny alphabet, so
/// near-collisions ("ab"+"c" against "a"+"bc") are frequent; a failure names its seed.
/// </summary>
public sealed class EventChainEncodingTests
{
    private const int Cases = 3000;

    [Fact]
    public void Every_encoding_decodes_to_the_fields_it_was_made_from()
    {
        var random = new Random(1402);
        for (var i = 0; i < Cases; i++)
        {
            var e = RandomEvent(random);
            var decoded = Decode(EventChainEncoding.Encode(e));
            Assert.True(Same(e, decoded), $"case {i}: {e} decoded as {decoded}");
        }
    }

    [Fact]
    public void Distinct_events_never_share_an_encoding()
    {
        var random = new Random(2026);
        var seen = new Dictionary<string, RecordedEvent>(StringComparer.Ordinal);
        for (var i = 0; i < Cases * 3; i++)
        {
            var e = RandomEvent(random);
            var key = Convert.ToBase64String(EventChainEncoding.Encode(e));
            if (seen.TryGetValue(key, out var earlier))
            {
                Assert.True(Same(earlier, e), $"case {i}: {earlier} and {e} encode alike");
            }
            else
            {
                seen[key] = e;
            }
        }
    }

    [Theory]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("", "abc", "abc", "")]
    [InlineData("a\u0000", "b", "a", "\u0000b")]
    public void Shifting_a_boundary_between_neighbouring_fields_changes_the_encoding(string a1, string b1, string a2, string b2)
    {
        var baseline = RandomEvent(new Random(7));
        Assert.NotEqual(
            EventChainEncoding.Encode(baseline with { EventType = a1, ContentType = b1 }),
            EventChainEncoding.Encode(baseline with { EventType = a2, ContentType = b2 }));
        Assert.NotEqual(
            EventChainEncoding.Encode(baseline with { Metadata = new EventMetadata(a1, b1) }),
            EventChainEncoding.Encode(baseline with { Metadata = new EventMetadata(a2, b2) }));
        Assert.NotEqual(
            EventChainEncoding.Encode(baseline with { Metadata = new EventMetadata(Headers: new Dictionary<string, string> { [a1 + "k"] = b1 }) }),
            EventChainEncoding.Encode(baseline with { Metadata = new EventMetadata(Headers: new Dictionary<string, string> { [a2 + "k"] = b2 }) }));
        Assert.NotEqual(
            EventChainEncoding.Encode(baseline with { Data = Encoding.UTF8.GetBytes(a1), Metadata = new EventMetadata(b1) }),
            EventChainEncoding.Encode(baseline with { Data = Encoding.UTF8.GetBytes(a2), Metadata = new EventMetadata(b2) }));
    }

    [Fact]
    public void Header_order_does_not_matter_and_absent_differs_from_empty()
    {
        var e = RandomEvent(new Random(11));
        var ab = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        var ba = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        Assert.Equal(EventChainEncoding.Encode(e with { Metadata = new EventMetadata(Headers: ab) }), EventChainEncoding.Encode(e with { Metadata = new EventMetadata(Headers: ba) }));
        Assert.NotEqual(EventChainEncoding.Encode(e with { Metadata = new EventMetadata(ActorId: null) }), EventChainEncoding.Encode(e with { Metadata = new EventMetadata(ActorId: string.Empty) }));
    }

    [Fact]
    public void The_encoding_starts_with_its_version_tag_and_keeps_microseconds()
    {
        var e = RandomEvent(new Random(3));
        var bytes = EventChainEncoding.Encode(e);
        Assert.Equal("EVCHAIN1"u8.ToArray(), bytes[..8]);
        Assert.NotEqual(bytes, EventChainEncoding.Encode(e with { Timestamp = e.Timestamp.AddTicks(10) }));
    }

    private static RecordedEvent RandomEvent(Random r)
    {
        string? Optional() => r.Next(4) switch { 0 => null, _ => Text() };
        string Text() => new([.. Enumerable.Range(0, r.Next(0, 4)).Select(_ => "ab\u0000é"[r.Next(4)])]);
        Dictionary<string, string>? headers = null;
        if (r.Next(3) == 0)
        {
            headers = [];
            for (var i = r.Next(0, 3); i > 0; i--)
            {
                headers[Text()] = Text();
            }
        }

        var data = new byte[r.Next(0, 4)];
        r.NextBytes(data);
        return new RecordedEvent(
            Text(), r.Next(1, 3), r.Next(1, 3), new Guid(r.Next(0, 2), 0, 0, new byte[8]), Text(), data,
            new EventMetadata(Optional(), Optional(), Optional(), headers),
            DateTimeOffset.UnixEpoch.AddTicks(r.Next(0, 3) * 10), Text());
    }

    private static bool Same(RecordedEvent a, RecordedEvent b)
        => a.StreamId == b.StreamId && a.StreamVersion == b.StreamVersion && a.Position == b.Position && a.EventId == b.EventId
           && a.EventType == b.EventType && a.ContentType == b.ContentType && a.Data.Span.SequenceEqual(b.Data.Span)
           && a.Timestamp == b.Timestamp
           && (a.Metadata.Headers is { Count: > 0 } || b.Metadata.Headers is { Count: > 0 }
               ? a.Metadata.ContentEquals(b.Metadata)
               : a.Metadata.CorrelationId == b.Metadata.CorrelationId && a.Metadata.CausationId == b.Metadata.CausationId && a.Metadata.ActorId == b.Metadata.ActorId);

    /// <summary>An independent reader of format v1: if it recovers every field, the encoding is injective.</summary>
    private static RecordedEvent Decode(byte[] bytes)
    {
        var at = 8;
        long Int64()
        {
            var v = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at));
            at += 8;
            return v;
        }

        byte[] Bytes()
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            at += 4;
            var v = bytes.AsSpan(at, length).ToArray();
            at += length;
            return v;
        }

        string Str() => Encoding.UTF8.GetString(Bytes());
        string? Optional() => bytes[at++] == 0 ? null : Str();

        var position = Int64();
        var stream = Str();
        var version = Int64();
        var id = new Guid(bytes.AsSpan(at, 16), bigEndian: true);
        at += 16;
        var type = Str();
        var contentType = Str();
        var data = Bytes();
        var (correlation, causation, actor) = (Optional(), Optional(), Optional());
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
        at += 4;
        var headers = new Dictionary<string, string>();
        for (var i = 0; i < count; i++)
        {
            headers.Add(Str(), Str());
        }

        var time = DateTimeOffset.UnixEpoch.AddTicks(Int64() * 10);
        Assert.Equal(bytes.Length, at);
        return new RecordedEvent(stream, version, position, id, type, data, new EventMetadata(correlation, causation, actor, headers), time, contentType);
    }
}
