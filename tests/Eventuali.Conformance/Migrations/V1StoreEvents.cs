using System.Text;

namespace Eventuali.Conformance.Migrations;

/// <summary>
/// The events in the checked-in stores of schema version 1 (tests/fixtures/v1): written through the public API of
/// the library as it was at schema version 1, in this order, with <see cref="Clock"/> stamping them. The file is
/// also compiled by the generator that made those stores (tests/fixtures/v1/README.md), so it must stay as it is.
/// </summary>
public static class V1StoreEvents
{
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>The appends, in the order they were made: stream and the events of one append call.</summary>
    public static IReadOnlyList<(string Stream, EventData[] Events)> Appends { get; } =
    [
        ("account-1", [Json(1, "account-opened", """{"owner":"Ana Lúcia","currency":"EUR"}""", new EventMetadata("corr-1", null, "clerk-7"))]),
        ("account-2", [Json(2, "account-opened", """{"owner":"Björk","currency":"ISK"}""")]),
        ("account-1", [
            Json(3, "deposited", """{"amount":125.5,"note":"salário €"}""", new EventMetadata("corr-2", "cause-2", null, new Dictionary<string, string> { ["source"] = "atm", ["branch"] = "Zürich" })),
            Json(4, "withdrawn", """{"amount":20,"nested":{"list":[1,2,3],"flag":true,"none":null}}""", new EventMetadata("corr-2", "cause-2")),
        ]),
        ("blob-1", [new EventData(Id(5), "blob-stored", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), null, ContentTypes.Binary)]),
        ("account-2", [Json(6, "deposited", """{"amount":1e3,"text":"line\nbreak \"quoted\""}""")]),
        ("account-1", [Json(7, "closed", "{}", new EventMetadata(null, null, "auditor"))]),
    ];

    /// <summary>Stamps the i-th append (0-based) at <see cref="Start"/> plus i seconds and 123,456 microseconds.</summary>
    public static DateTimeOffset StampOf(int appendIndex) => Start.AddSeconds(appendIndex).AddTicks(1_234_560);

    public static Guid Id(int n) => Guid.Parse($"0195a000-0000-7000-8000-{n:D12}");

    private static EventData Json(int n, string type, string json, EventMetadata? metadata = null)
        => new(Id(n), type, Encoding.UTF8.GetBytes(json), metadata);

    /// <summary>A clock that shows <see cref="StampOf"/> of the append about to be made; <see cref="Next"/> moves it on.</summary>
    public sealed class Clock : TimeProvider
    {
        private int _append;

        public void Next() => _append++;

        public override DateTimeOffset GetUtcNow() => StampOf(_append);
    }
}
