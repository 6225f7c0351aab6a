using System.Globalization;
using Eventuali.Security.Encryption;
using Eventuali.Typed;

namespace Eventuali.Benchmarking;

/// <summary>Encrypting runs: each event's first N fields are personal data of one of 10,000 subjects.</summary>
internal sealed partial class BenchmarkSession
{
    // JSON names of BenchmarkDeposited's fields, in the order they are chosen for encryption.
    private static readonly string[] PersonalFieldOrder = ["note", "reference", "channel", "currency", "amount"];

    public static string Subject(int n) => "subject-" + (n % BenchmarkOptions.EncryptionSubjects).ToString("D5", CultureInfo.InvariantCulture);

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
                batch[i] = MakeEvent(first + i, Metadata(streamId, i + 1));
            }

            await store.AppendAsync(streamId, ExpectedVersion.NoStream, batch, ct).ConfigureAwait(false);
        }
    }

    private EventMetadata PersonalMetadata(int n, EventMetadata metadata)
        => EncryptionHeaders.For(Subject(n), PersonalFieldOrder.Take(options.EncryptFields), metadata);
}
