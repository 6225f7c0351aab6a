using Eventuali.DataKeys;
using static Eventuali.Conformance.Security.SecurityTestKit;

namespace Eventuali.Conformance.Security;

/// <summary>
/// Which streams hold which data subject is recorded by the append itself, in its transaction: whatever path stored
/// an event naming a subject (through field encryption or raw), the subject's streams list it; an append its checks
/// refuse lists nothing.
/// </summary>
public abstract class SubjectStreamsConformance<TFixture>(TFixture fixture) : KeyFileConformance<TFixture>(fixture)
    where TFixture : class, IStoreFixture
{

    [Fact]
    public async Task Appends_record_the_subjects_their_events_name_and_refused_appends_record_none()
    {
        await using var store = await NewStoreAsync();
        var keys = store.GetFeature<IDataKeyStore>()!;
        Assert.True(keys.RecordsSubjectStreamsOnAppend);
        var enc = Encrypt(store, KeyFile.Keys);
        var (one, two, three) = (Unique("ss-one"), Unique("ss-two"), Unique("ss-three"));
        await enc.Store.AppendAsync(one, ExpectedVersion.NoStream,
        [
            Personal("subject-ss-a", """{"email":"a1@example.org"}""", "email"),
            Personal("subject-ss-b", """{"email":"b@example.org"}""", "email"),
            Personal("subject-ss-a", """{"email":"a2@example.org"}""", "email"),
        ], Ct);

        // A raw event that only names its subject, appended past the encryption layer, is about that subject too.
        var headers = new Dictionary<string, string> { [DataSubjectHeader.Name] = "subject-ss-a" };
        await store.AppendAsync(two, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "Noted", "{}"u8.ToArray(), new EventMetadata(Headers: headers))], Ct);

        await Assert.ThrowsAsync<ConcurrencyException>(async () =>
            await enc.Store.AppendAsync(three, ExpectedVersion.Exact(7), [Personal("subject-ss-c", """{"email":"c@example.org"}""", "email")], Ct));
        await Assert.ThrowsAsync<ConcurrencyException>(async () =>
            await enc.Store.AppendAsync(one, ExpectedVersion.NoStream, [Personal("subject-ss-c", """{"email":"c@example.org"}""", "email")], Ct));

        Assert.Equal(new[] { one, two }.Order(StringComparer.Ordinal), await keys.GetSubjectStreamsAsync("subject-ss-a", Ct));
        Assert.Equal([one], await keys.GetSubjectStreamsAsync("subject-ss-b", Ct));
        Assert.Empty(await keys.GetSubjectStreamsAsync("subject-ss-c", Ct));
        Assert.Equal(["subject-ss-a", "subject-ss-b"], await keys.GetStreamSubjectsAsync(one, Ct));
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
