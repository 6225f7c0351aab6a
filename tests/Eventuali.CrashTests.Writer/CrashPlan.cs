using System.Text;

namespace Eventuali.CrashTests.Writer;

/// <summary>
/// The deterministic write plan shared by the writer process and the checker: append number a
/// goes to stream a % streams at expected version (a / streams) * batch with event ids derived
/// from (run, a, i). A restarted writer therefore retries an interrupted append with the same
/// stream, expectation and ids.
/// </summary>
public sealed record CrashPlan(Guid Run, int Streams, int Batch)
{
    public string StreamOf(long append) => $"crash-{append % Streams}";

    public long ExpectedVersionOf(long append) => append / Streams * Batch;

    public Guid EventId(long append, int i)
    {
        var run = Run.ToByteArray();
        return new Guid((int)append, (short)(append >> 32), (short)i, run[0], run[1], run[2], run[3], run[4], run[5], run[6], run[7]);
    }

    public IReadOnlyList<EventData> Events(long append)
    {
        var events = new EventData[Batch];
        for (var i = 0; i < Batch; i++)
        {
            var json = $$"""{"append":{{append}},"index":{{i}},"note":"crash test payload {{append}}/{{i}}"}""";
            events[i] = new EventData(EventId(append, i), "crash-written", Encoding.UTF8.GetBytes(json), new EventMetadata(CorrelationId: $"append-{append}"));
        }

        return events;
    }
}
