using Eventuali.Snapshots;
using Eventuali.Typed;

namespace AdvancedPatterns;

[EventType("meter-installed")]
public sealed record MeterInstalled(string MeterId, string Site);

[EventType("meter-read")]
public sealed record MeterRead(long Kwh, string ReadBy);

public sealed record MeterState(string Site, long TotalKwh, int Readings, long PeakKwh, List<string> LastReaders);

/// <summary>An electricity meter: its state summarises thousands of readings.</summary>
[StreamCategory("meter")]
[SnapshotSchema(1)]
public sealed class Meter : Aggregate, ISnapshottable<MeterState>
{
    private List<string> _lastReaders = [];

    public string Site { get; private set; } = string.Empty;

    public long TotalKwh { get; private set; }

    public int Readings { get; private set; }

    public long PeakKwh { get; private set; }

    public string Summary => $"{Site}: {Readings} readings, {TotalKwh} kWh, peak {PeakKwh}, last by {string.Join("/", _lastReaders)}";

    public static Meter Install(string id, string site)
    {
        var m = new Meter();
        m.Raise(new MeterInstalled(id, site));
        return m;
    }

    public void Read(long kwh, string by) => Raise(new MeterRead(kwh, by));

    public MeterState CaptureSnapshot() => new(Site, TotalKwh, Readings, PeakKwh, [.. _lastReaders]);

    public void RestoreSnapshot(MeterState s) => (Site, TotalKwh, Readings, PeakKwh, _lastReaders) = (s.Site, s.TotalKwh, s.Readings, s.PeakKwh, [.. s.LastReaders]);

    private void Apply(MeterInstalled e) => (Id, Site) = (e.MeterId, e.Site);

    private void Apply(MeterRead e)
    {
        TotalKwh += e.Kwh;
        Readings++;
        PeakKwh = Math.Max(PeakKwh, e.Kwh);
        _lastReaders.Add(e.ReadBy);
        if (_lastReaders.Count > 3)
        {
            _lastReaders.RemoveAt(0);
        }
    }
}

/// <summary>The meter after a change of its state's shape: snapshots of schema 1 no longer fit and are ignored.</summary>
[StreamCategory("meter")]
[SnapshotSchema(2)]
public sealed class MeterV2 : Aggregate, ISnapshottable<MeterState>
{
    public long TotalKwh { get; private set; }

    public int Readings { get; private set; }

    public MeterState CaptureSnapshot() => new(string.Empty, TotalKwh, Readings, 0, []);

    public void RestoreSnapshot(MeterState s) => (TotalKwh, Readings) = (s.TotalKwh, s.Readings);

    private void Apply(MeterInstalled e) => Id = e.MeterId;

    private void Apply(MeterRead e)
    {
        TotalKwh += e.Kwh;
        Readings++;
    }
}

/// <summary>A clock the example moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
