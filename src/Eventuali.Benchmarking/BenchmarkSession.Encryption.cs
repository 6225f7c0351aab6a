using System.Globalization;
using Eventuali.Security.Encryption;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>
/// Encrypting runs: each event's first N fields are personal data of one of 10,000 subjects. A stream is one
/// aggregate about one subject (a customer's account), as in most event-sourced models: stream k's events belong to
/// subject k mod 10,000, and every subject's key exists before the timed phase.
/// </summary>
internal sealed partial class BenchmarkSession
{
    // JSON names of BenchmarkDeposited's fields, in the order they are chosen for encryption.
    private static readonly string[] PersonalFieldOrder = ["note", "reference", "channel", "currency", "amount"];

    // The run id keeps a run's subjects apart from an earlier run's on the same store, whose keys another key file wraps.
    public string Subject(int index) => "subject-" + RunId + "-" + (index % BenchmarkOptions.EncryptionSubjects).ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>One event per subject, in batches to streams of their own, so every subject's key exists before the timed phase.</summary>
    public async Task WarmUpSubjectsAsync(CancellationToken ct)
    {
        const int Batch = 100;
        for (var first = 0; first < BenchmarkOptions.EncryptionSubjects; first += Batch)
        {
            var count = Math.Min(Batch, BenchmarkOptions.EncryptionSubjects - first);
            var streamId = AggregateStreams.StreamId<BenchmarkAccount>(AggregateId("keys", first / Batch));
            var batch = new EventData[count];
            for (var i = 0; i < count; i++)
            {
                batch[i] = MakeEvent(first + i, Metadata(streamId, i + 1), subject: first + i);
            }

            await store.AppendAsync(streamId, ExpectedVersion.NoStream, batch, ct).ConfigureAwait(false);
        }
    }

    // Event n belongs to stream n / batch size (see LiveEvent), whose subject is the stream's number.
    private EventMetadata PersonalMetadata(int n, EventMetadata metadata, int? subject)
        => EncryptionHeaders.For(Subject(subject ?? (n / options.BatchSize)), PersonalFieldOrder.Take(options.EncryptFields), metadata);
}
