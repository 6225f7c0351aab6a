using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Eventuali.Auditing;

namespace Eventuali.Core.Tests.Auditing;

/// <summary>The audit log's canonical encoding and chaining, byte for byte, and the checks on records.</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static AuditRecord Record(string actor = "alice", string operation = "append", string? stream = "acc-1", string? error = null)
        => new(At.AddTicks(1234567), actor, AuditAction.Append, operation, stream, error is null ? AuditOutcome.Succeeded : AuditOutcome.Failed, error, 3);

    [Fact]
    public void The_encoding_is_the_documented_layout()
    {
        var bytes = AuditChain.Encode(42, Record(error: "ConcurrencyException"));
        var span = bytes.AsSpan();
        Assert.Equal("EVAUDIT1", Encoding.ASCII.GetString(span[..8]));
        Assert.Equal(42, BinaryPrimitives.ReadInt64BigEndian(span[8..]));
        Assert.Equal(AuditChain.ToUnixMicroseconds(At) + 123456, BinaryPrimitives.ReadInt64BigEndian(span[16..]));
        Assert.Equal((int)AuditAction.Append, BinaryPrimitives.ReadInt32BigEndian(span[24..]));
        Assert.Equal((int)AuditOutcome.Failed, BinaryPrimitives.ReadInt32BigEndian(span[28..]));
        Assert.Equal(3, BinaryPrimitives.ReadInt64BigEndian(span[32..]));
        var at = 40;
        foreach (var expected in new[] { "alice", "append", "acc-1", "ConcurrencyException" })
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(span[at..]);
            Assert.Equal(expected, Encoding.UTF8.GetString(span.Slice(at + 4, length)));
            at += 4 + length;
        }

        Assert.Equal(bytes.Length, at);
    }

    [Fact]
    public void A_null_field_is_encoded_as_length_minus_one_and_differs_from_an_empty_one()
    {
        var none = AuditChain.Encode(1, Record(stream: null));
        Assert.Equal(-1, BinaryPrimitives.ReadInt32BigEndian(none.AsSpan(40 + 4 + 5 + 4 + 6)));
        Assert.NotEqual(none, AuditChain.Encode(1, Record(stream: "")));
    }

    [Fact]
    public void Shifted_field_boundaries_never_share_an_encoding()
    {
        Assert.NotEqual(AuditChain.Encode(1, Record(actor: "ab", operation: "c")), AuditChain.Encode(1, Record(actor: "a", operation: "bc")));
        Assert.NotEqual(AuditChain.Encode(1, Record()), AuditChain.Encode(2, Record()));
    }

    [Fact]
    public void The_hash_is_sha256_of_the_previous_hash_then_the_encoding()
    {
        var previous = RandomNumberGenerator.GetBytes(32);
        var expected = SHA256.HashData([.. previous, .. AuditChain.Encode(7, Record())]);
        Assert.Equal(expected, AuditChain.ComputeHash(previous, 7, Record()));
    }

    [Fact]
    public void Linking_continues_from_the_head_and_stores_times_to_the_microsecond()
    {
        var first = AuditChain.Link(0, default, [Record(), Record(actor: "bob")]);
        Assert.Equal([1L, 2], first.Select(e => e.Position));
        Assert.Equal(new byte[32], first[0].PreviousHash.ToArray());
        Assert.Equal(first[0].Hash.ToArray(), first[1].PreviousHash.ToArray());
        Assert.Equal(At.AddTicks(1234560), first[0].Record.Time);

        var next = Assert.Single(AuditChain.Link(2, first[1].Hash.Span, [Record()]));
        Assert.Equal(3, next.Position);
        Assert.Equal(AuditChain.ComputeHash(first[1].Hash.Span, 3, next.Record), next.Hash.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    public void An_unusable_actor_is_refused_without_echoing_it(string actor)
    {
        var ex = Assert.Throws<ArgumentException>(() => AuditValidation.Records([Record(actor: actor)]));
        Assert.Contains("actor", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => AuditContext.Begin(actor));
    }

    [Fact]
    public void An_undefined_action_or_a_negative_count_names_the_record()
    {
        Assert.Contains("record 1", Assert.Throws<ArgumentException>(() => AuditValidation.Records([Record(), Record() with { Action = (AuditAction)9 }])).Message, StringComparison.Ordinal);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => AuditValidation.Records([Record() with { EventCount = -1 }])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_actor_flows_across_awaits_and_scopes_nest()
    {
        Assert.Null(AuditContext.CurrentActor);
        using (AuditContext.Begin("outer"))
        {
            await Task.Yield();
            using (AuditContext.Begin("inner"))
            {
                Assert.Equal("inner", await Task.Run(() => AuditContext.CurrentActor, TestContext.Current.CancellationToken));
            }

            Assert.Equal("outer", AuditContext.CurrentActor);
        }

        Assert.Null(AuditContext.CurrentActor);
    }
}
