using Eventuali.InMemory;

namespace Eventuali.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Memory_store_appends_and_reads()
    {
        await using var store = new InMemoryEventStore();
        var r = await store.AppendAsync("s-1", ExpectedVersion.NoStream, [EventData.Json("t", "{}")], TestContext.Current.CancellationToken);
        Assert.Equal(1, r.StreamVersion);
    }
}
