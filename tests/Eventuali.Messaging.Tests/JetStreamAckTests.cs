using System.Text;
using Eventuali.Messaging.Nats;

namespace Eventuali.Messaging.Tests;

/// <summary>The JetStream acknowledgement scan: stored, duplicate, refused and malformed replies as nats-server sends them.</summary>
public sealed class JetStreamAckTests
{
    private static JetStreamAck Parse(string json) => JetStreamAck.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_stored_message_has_its_sequence_and_no_failure()
    {
        Assert.Equal(new JetStreamAck(42, false, null), Parse("""{"stream":"orders","seq":42}"""));
        Assert.Equal(new JetStreamAck(7, false, null), Parse("""{"stream":"orders","domain":"hub","seq":7,"extra":{"a":[1,{"b":2}]}}"""));
    }

    [Fact]
    public void A_duplicate_counts_as_stored()
    {
        Assert.Equal(new JetStreamAck(9, true, null), Parse("""{"stream":"orders","seq":9,"duplicate":true}"""));
        Assert.Equal(new JetStreamAck(9, false, null), Parse("""{"duplicate":false,"stream":"orders","seq":9}"""));
    }

    [Fact]
    public void An_error_names_its_description_and_JetStream_code()
    {
        Assert.Equal("maximum message size exceeded (error 10054)",
            Parse("""{"error":{"code":400,"err_code":10054,"description":"maximum message size exceeded"}}""").Failure);
        Assert.Equal("stream not found (error 404)", Parse("""{"error":{"description":"stream not found","code":404}}""").Failure);
        // An error wins over a sequence given before it.
        Assert.Equal("wrong last sequence: 3 (error 10071)",
            Parse("""{"stream":"orders","seq":4,"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 3"}}""").Failure);
    }

    [Theory]
    [InlineData("""{"stream":"orders"}""", "an acknowledgement without a sequence")]
    [InlineData("""{"stream":"orders","seq":"5"}""", "an acknowledgement without a sequence")]
    [InlineData("""[1,2]""", "an acknowledgement that is not a JSON object")]
    [InlineData("""+OK""", "an acknowledgement that is not JSON")]
    [InlineData("""{"stream":"orders","seq":5""", "an acknowledgement that is not JSON")]
    public void A_malformed_acknowledgement_is_a_failure_saying_what_was_wrong(string json, string failure)
        => Assert.Equal(failure, Parse(json).Failure);

    [Fact]
    public void Reading_a_stored_acknowledgement_allocates_nothing()
    {
        var ack = Encoding.UTF8.GetBytes("""{"stream":"orders","seq":123456,"duplicate":true}""");
        JetStreamAck.Parse(ack); // warmed up: the first call may allocate while the code is compiled
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Null(JetStreamAck.Parse(ack).Failure);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
