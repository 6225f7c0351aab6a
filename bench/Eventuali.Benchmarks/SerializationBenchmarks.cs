using BenchmarkDotNet.Attributes;
using Eventuali.Typed;

namespace Eventuali.Benchmarks;

/// <summary>The typed layer's per-event cost on the write path (object to EventData) and read path (RecordedEvent to object).</summary>
[MemoryDiagnoser]
public class SerializationBenchmarks
{
    private readonly EventTypeRegistry _types = new EventTypeRegistry().Register<Deposited>().Register<Withdrawn>();
    private readonly Deposited _event = new("acc-000123", 12.5m, "deposit note 12");
    private RecordedEvent _recorded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = _types.ToEventData(_event);
        _recorded = new RecordedEvent("account-acc-000123", 1, 1, data.EventId, data.EventType, data.Data, EventMetadata.Empty, DateTimeOffset.UnixEpoch, data.ContentType);
    }

    [Benchmark]
    public EventData Serialize() => _types.ToEventData(_event);

    [Benchmark]
    public object Deserialize() => _types.Deserialize(_recorded);
}
